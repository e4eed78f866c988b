"""The anonymous HTML page cache: shared answers, ETags, per-page purges, and every bypass."""

from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory

from wagtail import hooks
from wagtail.models import Page, PageViewRestriction

import pytest

from immunotherapy.models import ArticlePage
from immunotherapy.page_cache import GENERATION_KEY, _entry_key, _version_key, purge_pages
from immunotherapy.signals import pages_changed
from tests.factories import make_article
from tests.helpers import read_plain_and_gzipped, redis_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(home_page) -> ArticlePage:
    return make_article(home_page, slug="living", index_slug="articles")


def rename(page: Page, title: str) -> None:
    """Change what the page shows without any signal, as another process's write looks here."""
    type(page).objects.filter(pk=page.pk).update(title=title)
    Page.objects.filter(pk=page.pk).update(title=title)


def changed(*pages: Page) -> None:
    pages_changed.send(sender=Page, page_ids=frozenset(page.pk for page in pages))


def test_anonymous_readers_share_one_answer(client, article) -> None:
    first = client.get(article.url)
    assert first.status_code == 200
    assert first["X-Cache"] == "MISS"
    second = Client().get(article.url)
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == "text/html; charset=utf-8"
    for response in (first, second):
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
        assert "Cookie" in response["Vary"]
        assert not response.cookies
    assert b'class="comment-form"' in first.content
    assert b"csrfmiddlewaretoken" not in first.content  # an anonymous comment post needs none


def test_head_is_answered_from_the_cache(client, article) -> None:
    client.get(article.url)
    assert client.head(article.url)["X-Cache"] == "HIT"


def test_readers_that_accept_gzip_get_the_page_gzipped(client, article) -> None:
    made, kept, plain = read_plain_and_gzipped(client, article.url)
    for response in (made, kept, plain):
        assert "Cookie" in response["Vary"]
    for etag in (kept["ETag"], plain["ETag"]):
        assert client.get(article.url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_pages_rendered_for_one_reader_are_never_gzipped(admin_client, article) -> None:
    """Only pages every reader shares are compressed: a signed-in reader's page holds a CSRF
    token, which compression could leak (BREACH)."""
    response = admin_client.get(article.url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"csrfmiddlewaretoken" in response.content


def test_a_kept_page_carries_the_headers_of_the_first_answer(client, article) -> None:
    first = client.get(article.url)
    second = client.get(article.url)
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    names = ("Content-Type", "Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options")
    for header in (*names, "Cache-Control", "Vary", "ETag", "Content-Length"):
        assert second[header] == first[header], header


def test_a_kept_page_does_not_pass_the_https_redirect_by(client, article, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(article.url, secure=True)["X-Cache"] == "MISS"
    assert client.get(article.url, secure=True)["X-Cache"] == "HIT"
    response = client.get(article.url)  # plain HTTP: redirected, never answered from memory
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_a_page_this_process_served_is_answered_from_its_memory(client, article) -> None:
    client.get(article.url)
    cache.delete(_entry_key(RequestFactory().get(article.url)))
    assert client.get(article.url)["X-Cache"] == "HIT"


@pytest.mark.parametrize("lost", ["version", "generation", "everything"])
def test_a_page_kept_in_memory_is_not_served_once_the_shared_keys_are_lost(
    client, article, lost
) -> None:
    """A change this process has not read yet, then the shared cache loses the keys that say
    so (evicted, or the cache cleared): what the process keeps is not served again."""
    client.get(article.url)
    rename(article, "Changed meanwhile")
    purge_pages([article.pk])
    if lost == "version":
        cache.delete(_version_key(article.url))
    elif lost == "generation":
        cache.delete(GENERATION_KEY)
    else:
        cache.clear()
    response = client.get(article.url)
    assert response["X-Cache"] == "MISS"
    assert b"Changed meanwhile" in response.content


def test_a_cdn_keeps_pages_for_a_day_when_it_is_purged_on_change(client, article, settings):
    settings.HTML_CACHE_S_MAXAGE = 86_400
    assert client.get(article.url)["Cache-Control"] == "public, max-age=0, s-maxage=86400"


def test_conditional_requests_get_304(client, article) -> None:
    etag = client.get(article.url)["ETag"]
    not_modified = client.get(article.url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    cache.clear()  # a miss answers the condition too
    assert client.get(article.url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(article.url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_pages_changed_purges_exactly_those_pages(client, home_page, article) -> None:
    other = make_article(home_page, slug="other", index_slug="more-articles")
    client.get(article.url)
    client.get(other.url)
    rename(article, "Living well")
    rename(other, "Other, renamed")
    assert b"Living well" not in client.get(article.url).content  # still the cached page

    changed(article)

    fresh = client.get(article.url)
    assert fresh["X-Cache"] == "MISS"
    assert b"Living well" in fresh.content
    assert client.get(article.url)["X-Cache"] == "HIT"
    untouched = client.get(other.url)
    assert untouched["X-Cache"] == "HIT"
    assert b"Other, renamed" not in untouched.content


def test_publishing_purges_the_page(client, article, django_capture_on_commit_callbacks) -> None:
    client.get(article.url)
    article.title = "Living with immunotherapy"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    response = client.get(article.url)
    assert response["X-Cache"] == "MISS"
    assert b"Living with immunotherapy" in response.content


def test_renaming_a_section_refreshes_the_breadcrumbs_of_the_pages_under_it(
    client, admin_client, article, django_capture_on_commit_callbacks
) -> None:
    """Cached pages and the fragments kept for signed-in readers both show the new name."""
    index = article.get_parent().specific
    assert client.get(article.url)["X-Cache"] == "MISS"
    admin_client.get(article.url)  # keeps the page's fragments for signed-in readers
    index.title = "Stories from readers"
    with django_capture_on_commit_callbacks(execute=True):
        index.save_revision().publish()
    for reader in (client, admin_client):
        breadcrumbs = reader.get(article.url).content.decode().split('class="breadcrumbs"')[1]
        assert "Stories from readers" in breadcrumbs.split("</nav>")[0]


def test_a_render_that_began_before_a_change_is_not_kept(client, article) -> None:
    """A change committed while a page renders: that render's HTML is never served again."""
    calls = []

    def change_during_render(page, request, serve_args, serve_kwargs):
        if not calls:
            calls.append(page.pk)
            rename(article, "Changed meanwhile")
            purge_pages([article.pk])

    with hooks.register_temporarily("before_serve_page", change_during_render):
        stale = client.get(article.url)
    assert b"Changed meanwhile" not in stale.content  # rendered from the object read before
    fresh = client.get(article.url)
    assert fresh["X-Cache"] == "MISS"
    assert b"Changed meanwhile" in fresh.content


def test_moved_and_deleted_pages_leave_no_cached_copy(client, home_page, article) -> None:
    old_url = article.url
    assert client.get(old_url).status_code == 200
    other_index = make_article(home_page, slug="x", index_slug="elsewhere").get_parent()
    article.move(other_index, pos="last-child")
    changed(article)
    page = Page.objects.get(pk=article.pk)
    moved = client.get(old_url)
    assert moved.status_code == 301  # Wagtail's automatic redirect, not the cached page
    assert moved["Location"] == page.url

    assert client.get(page.url).status_code == 200
    page_id, url = page.pk, page.url
    page.delete()
    pages_changed.send(sender=Page, page_ids=frozenset({page_id}))
    assert client.get(url).status_code == 404


def test_migrate_makes_every_page_stale(client, article) -> None:
    client.get(article.url)
    call_command("migrate", "immunotherapy", verbosity=0)
    assert client.get(article.url)["X-Cache"] == "MISS"


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "messages=abc"},
        {"HTTP_AUTHORIZATION": "Bearer token"},
    ],
    ids=["session cookie", "messages cookie", "credentials"],
)
def test_requests_that_may_be_personal_bypass_the_cache(client, article, headers) -> None:
    client.get(article.url)  # cached for everyone else
    rename(article, "Fresh title")
    response = client.get(article.url, **headers)
    assert "X-Cache" not in response
    assert response["Cache-Control"] == "private, no-cache"
    assert b"Fresh title" in response.content


def test_tracking_cookies_do_not_bypass_the_cache(client, article) -> None:
    client.get(article.url)
    assert client.get(article.url, HTTP_COOKIE="_ga=GA1.1.1; csrftoken=x")["X-Cache"] == "HIT"


def test_signed_in_readers_get_their_own_page_and_it_is_never_shared(
    client, article, django_user_model
) -> None:
    reader = django_user_model.objects.create_user("reader", "r@example.org", "pw")
    signed_in = Client()
    signed_in.force_login(reader)
    response = signed_in.get(article.url)
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert client.get(article.url)["X-Cache"] == "MISS"  # nothing was stored for them


def test_query_strings_and_posts_are_rendered_every_time(client, article) -> None:
    client.get(article.url)
    assert "X-Cache" not in client.get(article.url + "?replytocom=1")
    assert "X-Cache" not in client.post(article.url)


def test_drafts_shown_to_editors_never_reach_readers(client, article, admin_client) -> None:
    client.get(article.url)
    article.title = "Draft title"
    article.save_revision()
    draft = admin_client.get(f"/admin/pages/{article.pk}/view_draft/")
    assert b"Draft title" in draft.content
    assert b"Draft title" not in client.get(article.url).content
    cache.clear()
    assert b"Draft title" not in client.get(article.url).content


def test_pages_with_a_view_restriction_are_never_shared(
    client, article, django_capture_on_commit_callbacks
) -> None:
    client.get(article.url)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=article.get_parent(), restriction_type="password", password="secret"
        )
    response = client.get(article.url)
    assert b"Living with it" not in response.content  # the password form, not the cached page
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_answers_that_set_a_cookie_are_never_shared(client, article) -> None:
    def set_cookie(serve):
        def wrapped(page, request, args, kwargs):
            response = serve(page, request, args, kwargs)
            response.set_cookie("seen", "1")
            return response

        return wrapped

    with hooks.register_temporarily("on_serve_page", set_cookie):
        response = client.get(article.url)
    assert "X-Cache" not in response
    assert client.get(article.url)["X-Cache"] == "MISS"


def test_not_found_is_not_cached(client, home_page) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "X-Cache" not in response


def test_the_cache_can_be_turned_off(client, article, settings) -> None:
    settings.HTML_CACHE_TIMEOUT = 0
    client.get(article.url)
    assert "X-Cache" not in client.get(article.url)


@pytest.fixture(
    params=[
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.filebased.FileBasedCache",
        "django.core.cache.backends.db.DatabaseCache",
        pytest.param("django_redis.cache.RedisCache", marks=pytest.mark.redis),
    ],
    ids=["locmem", "files", "database", "redis"],
)
def cache_backend(request, settings, tmp_path):
    """The default cache on each backend a deployment may configure."""
    location = {
        "django.core.cache.backends.locmem.LocMemCache": "page-cache-test",
        "django.core.cache.backends.filebased.FileBasedCache": str(tmp_path / "cache"),
        "django.core.cache.backends.db.DatabaseCache": "page_cache_test",
        "django_redis.cache.RedisCache": redis_url(),
    }[request.param]
    settings.CACHES = {"default": {"BACKEND": request.param, "LOCATION": location}}
    if request.param.endswith("DatabaseCache"):
        call_command("createcachetable", verbosity=0)
    cache.clear()
    yield request.param
    cache.clear()


def test_purges_work_on_every_cache_backend(client, article, cache_backend) -> None:
    client.get(article.url)
    assert client.get(article.url)["X-Cache"] == "HIT"
    rename(article, "Purged everywhere")
    changed(article)
    response = client.get(article.url)
    assert response["X-Cache"] == "MISS"
    assert b"Purged everywhere" in response.content
    assert client.get(article.url)["X-Cache"] == "HIT"


def test_pages_changed_purges_the_pages_and_their_api_detail_from_the_cdn(
    client, home_page, article, cdn
) -> None:
    make_article(home_page, slug="other", index_slug="more-articles")
    changed(article)
    assert sorted(cdn) == sorted(
        [("localhost", article.url), ("localhost", f"/api/v2/pages/{article.pk}/")]
    )


def test_a_moved_page_is_purged_at_its_old_url_too(client, home_page, article, cdn) -> None:
    old_url = article.url
    client.get(old_url)
    other_index = make_article(home_page, slug="x", index_slug="elsewhere").get_parent()
    article.move(other_index, pos="last-child")
    cdn.clear()
    changed(article)
    new_url = Page.objects.get(pk=article.pk).url
    assert {path for _, path in cdn} == {old_url, new_url, f"/api/v2/pages/{article.pk}/"}


def test_no_purge_is_sent_without_a_cdn(client, article, settings) -> None:
    settings.WAGTAILFRONTENDCACHE = {}
    changed(article)  # nothing to reach, nothing fails


def test_a_bare_response_is_never_shared(client, article) -> None:
    def plain(serve):
        return lambda page, request, args, kwargs: HttpResponse("plain")

    with hooks.register_temporarily("on_serve_page", plain):
        assert "X-Cache" not in client.get(article.url)
