"""Each page's API JSON is kept until content changes, and reused by answers that miss the
response cache: other offsets and filters, signed-in readers, search."""

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction, Site

import pytest

from benchmarks import scenarios
from immunotherapy.models import Agent, ArticlePage

pytestmark = pytest.mark.django_db

LISTING = scenarios.LISTING_URL  # 20 checkpoint inhibitor pages, fields=*


@pytest.fixture
def twenty_pages(demo_content) -> None:
    scenarios.add_therapy_pages(20)


def article() -> ArticlePage:
    return ArticlePage.objects.get(slug="terminal-cancer-immunotherapy")


def items(client, url: str, **headers) -> list[dict]:
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    return response.json()["items"]


def test_another_page_of_the_listing_reuses_the_pages_json(
    client, twenty_pages, django_assert_max_num_queries
) -> None:
    first = items(client, LISTING)
    with django_assert_max_num_queries(2):  # the count and the ids; no page is loaded
        second = items(client, f"{LISTING}&offset=5")
    assert second == first[5:]


def test_signed_in_reader_gets_the_same_json_and_sees_a_publish(
    admin_client, client, demo_content
) -> None:
    url = "/api/v2/pages/?type=immunotherapy.ArticlePage&fields=*"
    assert items(admin_client, url) == items(client, url)
    page = article()
    page.title = "A new title"
    page.save_revision().publish()
    assert [item["title"] for item in items(admin_client, url)] == ["A new title"]
    detail = admin_client.get(f"/api/v2/pages/{page.pk}/").json()
    assert detail["title"] == "A new title"


def test_a_snippet_edit_reaches_every_page_that_shows_it(admin_client, twenty_pages) -> None:
    def generic_names() -> set[str]:
        return {
            agent["generic_name"]
            for item in items(admin_client, LISTING)
            for block in item["body"]
            if block["type"] == "checkpoint_target"
            for agent in block["value"]["agents"]
        }

    assert "nivolumab" in generic_names()
    agent = Agent.objects.get(generic_name="nivolumab")
    agent.generic_name = "nivolumab (Opdivo)"
    agent.save()
    assert "nivolumab (Opdivo)" in generic_names()
    assert "nivolumab" not in generic_names()


def test_each_fields_choice_is_kept_apart(client, twenty_pages) -> None:
    assert "body" not in items(client, f"{LISTING}&fields=title")[0]
    assert items(client, LISTING)[0]["body"]
    assert "body" not in items(client, f"{LISTING}&limit=5&fields=title")[0]


def test_an_unknown_field_is_a_400_whether_or_not_pages_are_cached(client, twenty_pages) -> None:
    items(client, LISTING)
    bad = f"/api/v2/pages/?therapy_type={scenarios.THERAPY_TYPE}&fields=title,nonsense"
    for url in (bad, f"{bad}&offset=5000"):  # with pages to show, and with none
        response = client.get(url)
        assert response.status_code == 400
        assert "nonsense" in response.json()["message"]


def test_detail_is_reused_and_keeps_its_own_shape(
    client, demo_content, django_assert_max_num_queries
) -> None:
    page = scenarios.make_long_page()
    url = scenarios.detail_url(page)
    first = client.get(url).json()
    assert first["meta"]["parent"]["id"] == page.get_parent().pk  # detail-only field
    with django_assert_max_num_queries(1):  # is it still live and public? that is all
        again = client.get(url, {"format": "json"}).json()
    assert again == first
    listed = items(client, f"/api/v2/pages/?therapy_type={scenarios.THERAPY_TYPE}&fields=*")
    assert "parent" not in next(item for item in listed if item["id"] == page.pk)["meta"]


def test_search_results_come_from_the_same_json(client, twenty_pages) -> None:
    listed = {item["id"]: item for item in items(client, LISTING)}
    found = items(client, f"{LISTING}&search=checkpoint")
    assert found
    assert all(item == listed[item["id"]] for item in found if item["id"] in listed)


def test_the_browsable_api_shows_cached_pages(client, twenty_pages) -> None:
    first_id = items(client, LISTING)[0]["id"]
    for url in (f"{LISTING}&limit=3", f"/api/v2/pages/{first_id}/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "Checkpoint" in response.content.decode()


@override_settings(API_PAGE_CACHE_TIMEOUT=0)
def test_with_the_page_cache_off_every_answer_is_serialised_anew(client, twenty_pages) -> None:
    first = items(client, LISTING)
    with CaptureQueriesContext(connection) as queries:
        second = items(client, f"{LISTING}&offset=5")  # another URL: the response cache misses
    assert second == first[5:]
    assert len(queries) > 2  # the pages, their snippets and images were loaded again


def test_a_view_restriction_is_checked_for_each_reader(admin_client, client, demo_content) -> None:
    url = "/api/v2/pages/?type=immunotherapy.ArticlePage&fields=title"
    assert len(items(client, url)) == 1
    PageViewRestriction.objects.create(page=article(), restriction_type=PageViewRestriction.LOGIN)
    assert items(client, f"{url}&limit=5") == []  # anonymous: restricted
    assert len(items(admin_client, url)) == 1  # signed in: the restriction lets them through


def test_without_a_site_nothing_is_served(admin_client, demo_content) -> None:
    url = "/api/v2/pages/?type=immunotherapy.ArticlePage"
    assert len(items(admin_client, url)) == 1
    Site.objects.all().delete()
    assert items(admin_client, url) == []
