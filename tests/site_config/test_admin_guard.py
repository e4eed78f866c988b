"""Malformed admin requests that Wagtail would answer with a 500 get a 400 that says why."""

from wagtail.models import Page

import pytest

pytestmark = pytest.mark.django_db

OVERFLOW = "36893488147419103232"


@pytest.fixture
def editor_client(client, editor, home_page):
    client.force_login(editor)
    return client


def test_workflow_extra_data_that_is_not_a_json_object_is_400(editor_client, home_page) -> None:
    for extra_data in ("{not json", "[1]", '{"task_state": 1, "not a name": 2}'):
        response = editor_client.post(
            f"/admin/pages/{home_page.pk}/edit/",
            {"action-workflow-action": "1", "workflow-action-extra-data": extra_data},
        )
        assert response.status_code == 400
        assert b"workflow-action-extra-data must be a JSON object" in response.content


@pytest.mark.parametrize("value", ["\u00b2", OVERFLOW, "0"])
def test_link_chooser_parent_that_is_not_an_id_is_400(editor_client, value) -> None:
    response = editor_client.get("/admin/choose-external-link/", {"parent_page_id": value})
    assert response.status_code == 400
    assert b"parent_page_id must be a whole number" in response.content


def test_next_that_is_not_a_path_is_400(editor_client, home_page) -> None:
    response = editor_client.post(f"/admin/pages/{home_page.pk}/lock/", {"next": "\u00b2"})
    assert response.status_code == 400
    assert b"next must be a path on this site" in response.content
    assert not Page.objects.get(pk=home_page.pk).locked


def test_copy_without_a_destination_is_400(editor_client, home_page) -> None:
    response = editor_client.post(f"/admin/pages/{home_page.pk}/copy/", {"new_title": "x"})
    assert response.status_code == 400
    assert b"new_parent_page is missing" in response.content
    assert Page.objects.filter(title="x").count() == 0


def test_external_link_without_its_url_field_is_400(editor_client) -> None:
    response = editor_client.post("/admin/choose-external-link/", {})
    assert response.status_code == 400
    assert b"external-link-chooser-url is missing" in response.content
    ok = editor_client.post(
        "/admin/choose-external-link/", {"external-link-chooser-url": "https://example.org/"}
    )
    assert ok.status_code == 200


@pytest.mark.parametrize("value", ["\u00b2", "1.5", OVERFLOW])
def test_ids_that_name_nothing_are_not_found(editor_client, value) -> None:
    assert editor_client.get("/admin/api/main/pages/find/", {"id": value}).status_code == 404
    chosen = editor_client.get("/admin/choose-page/chosen-multiple/", {"id": value})
    assert chosen.status_code == 200
    listing = editor_client.get("/admin/reports/site-history/", {"user": value})
    assert listing.status_code == 200
