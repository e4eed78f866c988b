"""The page JSON store: each page's API JSON is built when it changes and read by every answer
that misses the response cache (other offsets and filters, signed-in readers, search)."""

import importlib
import json
from io import StringIO
from typing import Any

from django.core.management import CommandError, call_command
from django.db import transaction

from wagtail.api.v2.serializers import BaseSerializer
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site

import pytest

from comments.models import Comment
from immunotherapy.api.models import StoredPage
from immunotherapy.api.pages import PublicPagesAPIViewSet
from immunotherapy.api.router import api_router
from immunotherapy.models import Agent, ArticlePage
from immunotherapy.signals import pages_changed
from site_config.params import optional_int
from tests import scenarios

pytestmark = [pytest.mark.django_db, pytest.mark.backends]

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
    # The content version, the count, the ids and the stored JSON: no page is loaded.
    with django_assert_max_num_queries(4):
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
    # The content version, the page (live and public?), its stored JSON and its parent's.
    with django_assert_max_num_queries(4):
        again = client.get(url, {"format": "json"}).json()
    assert again == first
    listed = items(client, f"/api/v2/pages/?therapy_type={scenarios.THERAPY_TYPE}&fields=*")
    assert "parent" not in next(item for item in listed if item["id"] == page.pk)["meta"]


def test_search_results_come_from_the_same_json(client, twenty_pages) -> None:
    listed = {item["id"]: item for item in items(client, LISTING)}
    found = items(client, f"{LISTING}&search=checkpoint")
    assert found
    # Every result is a page of the listing (the same type filter), in the same JSON.
    assert {item["id"] for item in found} <= set(listed)
    for item in found:
        assert item == listed[item["id"]]


def test_the_browsable_api_shows_cached_pages(client, twenty_pages) -> None:
    first_id = items(client, LISTING)[0]["id"]
    for url in (f"{LISTING}&limit=3", f"/api/v2/pages/{first_id}/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "Checkpoint" in response.content.decode()


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


@pytest.fixture
def serializer_calls(monkeypatch) -> list[str]:
    """The type of every object Wagtail's API serializers turn into JSON from now on."""
    calls: list[str] = []
    original = BaseSerializer.to_representation

    def counting(self, instance):
        calls.append(type(instance).__name__)
        return original(self, instance)

    monkeypatch.setattr(BaseSerializer, "to_representation", counting)
    return calls


def test_reading_a_stored_page_runs_no_serializer(client, demo_content, serializer_calls) -> None:
    page = article()
    urls = (
        f"/api/v2/pages/{page.pk}/?fields=*",
        f"/api/v2/pages/{page.pk}/?fields=related_therapies(therapy_page(title))",
        "/api/v2/pages/?fields=*&limit=50",
        "/api/v2/pages/?type=immunotherapy.ArticlePage&fields=_,id,title",
    )
    client.get("/api/v2/pages/?limit=50")  # pages saved in this open transaction are built now
    serializer_calls.clear()
    for url in urls:
        assert client.get(url, HTTP_COOKIE="sessionid=x").status_code == 200
    assert serializer_calls == []


def test_after_publishing_a_page_another_page_is_read_with_no_serializer(
    client, demo_content, serializer_calls
) -> None:
    therapy = scenarios.therapy_model().objects.get()
    client.get(f"/api/v2/pages/{therapy.pk}/")
    page = article()
    page.title = "Published again"
    page.save_revision().publish()
    serializer_calls.clear()
    assert client.get(f"/api/v2/pages/{therapy.pk}/").status_code == 200
    assert serializer_calls == []
    assert client.get(f"/api/v2/pages/{page.pk}/").json()["title"] == "Published again"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_sends_pages_changed_once_committed(demo_content) -> None:
    received: list[tuple[type, frozenset]] = []

    def listener(sender, page_ids, **kwargs):
        received.append((sender, page_ids))

    pages_changed.connect(listener)
    try:
        page = article()
        with transaction.atomic():
            page.save_revision().publish()
            assert received == []  # not before the commit
        # The page, and the pages above it whose HTML lists it (the article index, the home).
        above = {p.pk for p in page.get_ancestors().filter(depth__gt=1)}
        assert above == {page.get_parent().pk, page.get_parent().get_parent().pk}
        assert received == [(ArticlePage, frozenset({page.pk, *above}))]
        assert StoredPage.objects.filter(page=page).exists()  # rebuilt once committed
        received.clear()
        comment = Comment.objects.create(
            page=page, author_name="R", author_email="r@example.org", body="<p>Hi</p>"
        )
        assert received == []  # a held comment changes nothing public
        comment.status = Comment.Status.APPROVED
        comment.save()
        assert received == [(Comment, frozenset({page.pk}))]
        assert StoredPage.objects.get(page=page).comment_count == 1
        received.clear()
        with transaction.atomic():
            page.unpublish()
        assert received == [(ArticlePage, frozenset({page.pk, *above}))]
        assert not StoredPage.objects.filter(page=page).exists()
    finally:
        pages_changed.disconnect(listener)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_snippet_edit_rebuilds_only_the_pages_that_show_it(client, demo_content) -> None:
    call_command("rebuild_page_json", "--no-progress")
    before = {row.page_id: row.built_at for row in StoredPage.objects.all()}
    agent = Agent.objects.get(generic_name="nivolumab")
    showing = {int(r.object_id) for r in ReferenceIndex.get_references_to(agent)}
    assert showing
    agent.brand_names = "Opdivo (renamed)"
    agent.save()
    after = {row.page_id: row.built_at for row in StoredPage.objects.all()}
    rebuilt = {pk for pk in before if after.get(pk) != before[pk]}
    assert rebuilt == showing


def test_rebuild_page_json_builds_every_live_page_and_refuses_bad_ids(demo_content) -> None:
    StoredPage.objects.all().delete()
    out = StringIO()
    call_command("rebuild_page_json", "--no-progress", stdout=out)
    live = Page.objects.live().count()
    assert StoredPage.objects.count() == live
    assert f"Built the API JSON of {live} live page(s)." in out.getvalue()
    for bad in (["99999"], ["abc"], ["²"]):
        with pytest.raises(CommandError):
            call_command("rebuild_page_json", *bad)


# Fields forms compared with Wagtail's own serializers (the stored JSON must give the same).
FIELDS_FORMS = [
    None,
    "*",
    "_",
    "title,-title",
    "*,-body,-meta",
    "_,id,type,title",
    "-id,html_url,slug",
    "related_therapies(therapy_page(title))",
    "related_therapies(_,therapy_title)",
    "*,related_therapies(*,therapy_page(*))",
    "change_notes(date)",
    "parent",
    "comment_count,comments_open",
]


class WagtailSerialized(PublicPagesAPIViewSet):
    """The pages endpoint as Wagtail answers it: every page serialised on every request."""

    def listing_view(self, request):
        return PagesAPIViewSet.listing_view(self, request)

    def detail_view(self, request, pk):
        return PagesAPIViewSet.detail_view(self, request, pk)


def wagtail_answer(url: str) -> tuple[int, Any]:
    from rest_framework.test import APIRequestFactory

    request = APIRequestFactory().get(url, HTTP_HOST="localhost")
    request.wagtailapi_router = api_router
    path, _, _ = url.partition("?")
    pk = optional_int(path.rstrip("/").rsplit("/", 1)[-1])
    if pk is not None:
        view = WagtailSerialized.as_view({"get": "detail_view"})
        response = view(request, pk=pk)
    else:
        view = WagtailSerialized.as_view({"get": "listing_view"})
        response = view(request)
    response.render()
    return response.status_code, json.loads(response.content)


@pytest.mark.parametrize("fields", FIELDS_FORMS + ["nonsense", "title(x)", "parent(title)"])
def test_every_fields_form_matches_wagtails_own_serializers(client, demo_content, fields) -> None:
    Comment.objects.create(
        page=article(), author_name="R", author_email="r@example.org", body="x", status="approved"
    )
    query = f"&fields={fields}" if fields is not None else ""
    urls = [f"/api/v2/pages/{page.pk}/?{query}" for page in Page.objects.live()]
    urls += [f"/api/v2/pages/?limit=50{query}"]
    urls += [f"/api/v2/pages/?type={t}{query}" for t in ("immunotherapy.ArticlePage",)]
    urls += [f"/api/v2/pages/?therapy_type={scenarios.THERAPY_TYPE}{query}"]
    for url in urls:
        ours = client.get(url, HTTP_HOST="localhost")
        assert (ours.status_code, ours.json()) == wagtail_answer(url), url


def test_a_site_hostname_change_reaches_html_url(client, demo_content) -> None:
    page = article()
    url = f"/api/v2/pages/{page.pk}/?fields=html_url"
    assert client.get(url).json()["meta"]["html_url"].startswith("http://localhost/")
    site = Site.objects.get(is_default_site=True)
    site.hostname = "guide.example.org"
    site.save()
    assert client.get(url).json()["meta"]["html_url"].startswith("http://guide.example.org/")


def test_a_move_rebuilds_the_moved_pages_urls(client, demo_content) -> None:
    page = article()
    index = page.get_parent()
    url = f"/api/v2/pages/{page.pk}/?fields=html_url"
    before = client.get(url).json()["meta"]["html_url"]
    new_index = index.get_parent().add_child(
        instance=type(index.specific)(title="Stories", slug="stories")
    )
    page.move(new_index, pos="last-child")
    after = client.get(url).json()["meta"]["html_url"]
    assert before.endswith("/articles/terminal-cancer-immunotherapy/")
    assert after.endswith("/stories/terminal-cancer-immunotherapy/")


def test_the_synonyms_migration_rebuilds_the_pages_that_show_agents(client, demo_content) -> None:
    """Stored before agents showed their synonyms: the migration builds those pages again."""
    from django.apps import apps

    migration = importlib.import_module(
        "immunotherapy.api.migrations.0005_rebuild_pages_showing_agents"
    )
    call_command("rebuild_page_json", "--no-progress")
    agent = Agent.objects.get(generic_name="pembrolizumab")
    page_id = min(int(r.object_id) for r in ReferenceIndex.get_references_to(agent))
    other = Page.objects.live().exclude(pk__in=migration.pages_showing_agents()).first()
    other_built = StoredPage.objects.get(page=other).built_at
    Agent.objects.filter(pk=agent.pk).update(synonyms="MK-3475, SCH 900475")  # no signals

    migration.rebuild_pages_showing_agents(apps, None)

    text = client.get(f"/api/v2/pages/{page_id}/").content.decode()
    assert '"synonyms":["MK-3475","SCH 900475"]' in text
    assert StoredPage.objects.get(page=other).built_at == other_built
