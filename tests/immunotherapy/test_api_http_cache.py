"""API responses carry ETag and Cache-Control, answer 304s, and go stale when content changes."""

from wagtail.models import PageViewRestriction

import pytest

from immunotherapy.models import ArticlePage
from tests.helpers import read_plain_and_gzipped

pytestmark = pytest.mark.django_db

LISTING = "/api/v2/pages/?type=immunotherapy.ArticlePage&fields=*"


def article() -> ArticlePage:
    return ArticlePage.objects.get(slug="terminal-cancer-immunotherapy")


def test_listing_has_etag_and_public_cache_control(client, demo_content) -> None:
    response = client.get(LISTING)
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert response["X-Cache"] == "MISS"


def test_repeat_is_served_from_the_cache_with_one_query(
    client, demo_content, django_assert_num_queries
) -> None:
    first = client.get(LISTING)
    with django_assert_num_queries(1):  # the content version: has anything changed anywhere?
        second = client.get(LISTING)
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_if_none_match_gets_304(client, demo_content) -> None:
    etag = client.get(LISTING)["ETag"]
    response = client.get(LISTING, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert client.get(LISTING, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_kept_answers_are_sent_gzipped_to_readers_that_accept_it(client, demo_content) -> None:
    _, kept, plain = read_plain_and_gzipped(client, LISTING)
    # Either form of the ETag revalidates either form of the answer.
    for etag in (kept["ETag"], plain["ETag"]):
        for encoding in ("gzip", "identity"):
            again = client.get(LISTING, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING=encoding)
            assert again.status_code == 304


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_COOKIE": "sessionid=abc"}, {"HTTP_AUTHORIZATION": "Bearer token"}],
    ids=["session", "credentials"],
)
def test_answers_made_for_one_reader_are_sent_as_made(client, demo_content, headers) -> None:
    response = client.get(LISTING, HTTP_ACCEPT_ENCODING="gzip", **headers)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert response.json()["items"]


def test_query_order_does_not_split_the_cache(client, demo_content) -> None:
    client.get("/api/v2/pages/?fields=intro&type=immunotherapy.ArticlePage")
    response = client.get("/api/v2/pages/?type=immunotherapy.ArticlePage&fields=intro")
    assert response["X-Cache"] == "HIT"


def test_a_kept_answer_carries_the_headers_of_the_first(client, demo_content) -> None:
    first = client.get(LISTING)
    second = client.get(LISTING)
    assert second["X-Cache"] == "HIT"
    for header in ("Content-Type", "Content-Security-Policy", "X-Content-Type-Options", "Vary"):
        assert second[header] == first[header], header


def test_a_kept_answer_does_not_pass_the_https_redirect_by(client, demo_content, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(LISTING, secure=True)["X-Cache"] == "MISS"
    assert client.get(LISTING, secure=True)["X-Cache"] == "HIT"
    response = client.get(LISTING)  # plain HTTP: redirected, never answered from what was kept
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def titles(client) -> list[str]:
    return [item["title"] for item in client.get(LISTING).json()["items"]]


def test_publish_invalidates(client, demo_content) -> None:
    assert titles(client) == [article().title]
    page = article()
    page.title = "Updated title"
    page.save_revision().publish()
    response = client.get(LISTING)
    assert response["X-Cache"] == "MISS"
    assert [item["title"] for item in response.json()["items"]] == ["Updated title"]


def test_draft_edit_does_not_leak_but_unpublish_invalidates(client, demo_content) -> None:
    original = titles(client)
    page = article()
    page.title = "Draft only"
    page.save_revision()
    assert titles(client) == original
    article().unpublish()
    assert titles(client) == []


def test_move_and_delete_invalidate(client, demo_content) -> None:
    page = article()
    detail = f"/api/v2/pages/{page.pk}/"
    assert client.get(detail).json()["meta"]["parent"]["title"] == "Articles"
    home = page.get_parent().get_parent()
    page.move(home, pos="last-child")
    assert client.get(detail).json()["meta"]["parent"]["title"] == "Home"
    ArticlePage.objects.get(pk=page.pk).delete()
    assert client.get(detail).status_code == 404
    assert titles(client) == []


def test_view_restriction_invalidates(client, demo_content) -> None:
    assert titles(client)
    PageViewRestriction.objects.create(
        page=article(), restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert titles(client) == []


def test_signed_in_and_token_requests_are_never_shared(client, demo_content, admin_user) -> None:
    client.get(LISTING)
    assert client.get(LISTING, HTTP_AUTHORIZATION="Bearer abc")["Cache-Control"] == (
        "private, no-cache"
    )
    client.force_login(admin_user)
    response = client.get(LISTING)
    assert "X-Cache" not in response
    assert response["Cache-Control"] == "private, no-cache"


def test_errors_are_not_cached(client, db) -> None:
    assert client.get("/api/v2/pages/?type=no.Such").status_code == 400
    response = client.get("/api/v2/pages/?type=no.Such")
    assert response.status_code == 400
    assert "X-Cache" not in response


def test_api_v3_reads_carry_an_etag(client, demo_content) -> None:
    response = client.get("/api/v3/pages/")
    assert response.status_code == 200
    assert response["ETag"]
    assert response["Cache-Control"] == "private, no-cache"
    assert client.get("/api/v3/pages/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_site_pages_are_left_to_the_page_cache(client, demo_content, settings) -> None:
    settings.HTML_CACHE_TIMEOUT = 0  # immunotherapy/page_cache.py off: nothing else touches them
    response = client.get("/")
    assert "ETag" not in response
    assert "X-Cache" not in response
