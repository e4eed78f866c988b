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


@pytest.mark.parametrize("value", ["\u00b2", "1.5", OVERFLOW, "0", ""])
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/admin/api/main/pages/find/", "id"),
        ("/admin/choose-page/chosen-multiple/", "id"),
        ("/admin/images/chooser/chosen-multiple/", "id"),
        ("/admin/bulk/wagtailcore/page/delete/", "id"),
        ("/admin/choose-page/", "target_pages[]"),
    ],
)
def test_ids_in_the_query_string_that_no_row_can_have_are_400(
    editor_client, home_page, url, name, value
) -> None:
    response = editor_client.get(url, {name: [str(home_page.pk), value]})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert f"{name} must be a whole number".encode() in response.content
    assert Page.objects.filter(pk=home_page.pk).exists()


@pytest.mark.parametrize("value", ["\u00b2", "1.5", OVERFLOW])
def test_a_wordpress_upload_id_no_row_can_have_is_400(admin_client, value) -> None:
    response = admin_client.post("/admin/wordpress-import/", {"upload_id": value})
    assert response.status_code == 400
    assert b"upload_id must be a whole number" in response.content


def test_real_ids_in_the_query_string_still_work(editor_client, home_page) -> None:
    found = editor_client.get("/admin/api/main/pages/find/", {"id": home_page.pk})
    assert found.status_code == 302
    chosen = editor_client.get("/admin/choose-page/chosen-multiple/", {"id": home_page.pk})
    assert chosen.status_code == 200
    assert str(home_page.pk) in chosen.json()["result"][0]["id"].__str__()
    bulk = editor_client.get("/admin/bulk/wagtailcore/page/unpublish/", {"id": "all"})
    assert bulk.status_code == 200


def test_a_block_preview_id_is_not_a_row_id(editor_client) -> None:
    from wagtail.blocks import Block

    definition = next(iter(Block.definition_registry))
    response = editor_client.get("/admin/block-preview/", {"id": definition})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["\u00b2", "1.5", OVERFLOW])
def test_listing_filters_report_an_impossible_choice_without_failing(editor_client, value):
    listing = editor_client.get("/admin/reports/site-history/", {"user": value})
    assert listing.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/pages/99999999999999999999999/edit/",
        f"/admin/pages/{OVERFLOW}/",
        f"/admin/snippets/immunotherapy/agent/edit/{OVERFLOW}/",
        f"/admin/images/{OVERFLOW}/",
        f"/admin/images/chooser/chosen/{OVERFLOW}/",
        "/admin/images/chooser/chosen/x/",
        "/admin/images/chooser/chosen/\u00b2/",
        f"/admin/comments/comment/edit/{OVERFLOW}/",
        "/admin/comments/comment/edit/\u00b2/",
        f"/admin/pages/1/revisions/compare/earliest...{OVERFLOW}/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_ids_in_the_path_that_no_row_can_have_are_404(admin_client, home_page, url, method):
    response = getattr(admin_client, method)(url)
    assert response.status_code == 404
