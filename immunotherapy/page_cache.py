"""Anonymous readers' HTML: whole pages kept in Django's cache and in the CDN, purged per page.

`cache_public_page` wraps Wagtail's page view (`site_config/urls.py`). A GET or HEAD without a
query string, a session, a messages cookie or credentials is answered from Django's default
cache (shared by every process: Redis, the database or files) with an ETag, 304s and a
`Cache-Control` that lets a CDN keep the page until it is purged. Each process also keeps the
pages it served in memory, with their headers (`PageCacheMiddleware`, near the top of the
middleware), and asks the shared cache on each request only for the deploy's generation and the
page's version, which any purge replaces. Kept pages are kept gzipped as well, for readers that
accept it. Everything else (signed-in
readers, previews and the admin, which never reach this view, posts, pages with a view
restriction, answers that set a cookie) is rendered for that request alone and marked private.

`purge_pages(page_ids)` listens to `immunotherapy.signals.pages_changed`: it makes those pages'
cached HTML stale in every process and purges their URLs and API v2 detail URLs from the CDN
through `wagtail.contrib.frontend_cache`'s `PurgeBatch`.

Why not a library: wagtail-cache 3.0 requires Wagtail < 8, and its URL keyring is a single
cache key rewritten by every writer, so concurrent processes lose entries and purges miss them.
Django's `CacheMiddleware` keys on the header values it learns (a session cookie makes a
per-user entry) and cannot drop one page's entries by URL without its private key functions.
Both also let a render that began before a change store the old HTML after the purge; here
every entry carries the version of its path that was current when its render began, and a
purge replaces that version, so such an entry is never served.
"""

import logging
import time
import uuid
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models.signals import post_migrate
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import get_language

from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, Site

from immunotherapy.api.http_cache import (
    BoundedCache,
    cached_until_content_changes,
    digest,
    gzipped,
    replay,
    send_shared,
)
from immunotherapy.registry import registry
from immunotherapy.signals import pages_changed

logger = logging.getLogger(__name__)

KEY_PREFIX = "html-cache"
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage.cookie_name


# Every entry holds the generation current when its render began: a new one (each `migrate`,
# so each deploy, which may bring new templates or settings) makes every page stale at once.
GENERATION_KEY = f"{KEY_PREFIX}:generation"


# A cached page: (generation, path version, time made, content, its gzipped form or None,
# Content-Type, ETag), the generation and version being those current when its render began.
# A plain tuple, so entries never depend on this module's class names when the cache is read by
# another release.
Entry = tuple[str, str, float, bytes, bytes | None, str, str]

# Pages this process has served (entry, response headers), checked against the shared generation
# and version on every request, so that the shared cache is asked for two short strings, not the
# page (`PageCacheMiddleware`).
_kept = BoundedCache(max_entries=500, max_bytes=32 * 1024 * 1024)


def _generation(stored: str | None) -> str:
    """The generation pages are kept under: the one `migrate` last stored, and the therapy
    plugins this process serves. A restart that enables, disables or removes a plugin (no
    `migrate`) then serves no page kept before: neither a page of a type no longer served nor a
    page linking to one."""
    return f"{stored}:{registry.fingerprint()}"


def _version_key(path: str) -> str:
    # By path alone, not host: a page answers on every host that reaches its site.
    return f"{KEY_PREFIX}:version:{digest(path)}"


def _page_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}{request.path}"


def _entry_key(request: HttpRequest) -> str:
    return f"{KEY_PREFIX}:page:{digest(_page_url(request))}"


def _paths_key(page_id: int) -> str:
    return f"{KEY_PREFIX}:paths:{page_id}"


def _remember_versions(request: HttpRequest, generation: str | None, version: str | None) -> None:
    # For `{% page_fragment %}`: the versions current before the page was read and rendered.
    # A per-request value: HttpRequest declares no such attribute.
    if generation is not None and version is not None:
        request._page_cache_versions = (generation, version)  # type: ignore[attr-defined]


def fragment_versions(request: HttpRequest) -> tuple[str, str] | None:
    """The deploy's generation and the page's version read when its request began (None for a
    request that did not come through `cache_public_page`, such as a preview)."""
    return getattr(request, "_page_cache_versions", None)


def fragment_key(request: HttpRequest, page_id: int, name: str) -> str:
    """The key a fragment of this page's HTML is kept under (`{% page_fragment %}`)."""
    where = digest(f"{request.scheme}://{request.get_host()}{request.path_info}")
    return f"{KEY_PREFIX}:fragment:{page_id}:{where}:{name}"


def _is_anonymous_read(request: HttpRequest) -> bool:
    """Whether the answer is the same for everyone who sends this request."""
    return (
        settings.HTML_CACHE_TIMEOUT > 0
        and request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and "Authorization" not in request.headers
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )


def _served_page(response: HttpResponseBase) -> Page | None:
    context = getattr(response, "context_data", None) or {}
    page = context.get("page")
    return page if isinstance(page, Page) else None


def _sets_reader_state(request: HttpRequest) -> bool:
    """Whether middleware will set a cookie on the way out: a CSRF token, a session, a message."""
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.modified)
        or (messages is not None and messages.added_new)
    )


def _is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not _sets_reader_state(request)
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
        # No view restriction check here: Wagtail's `check_view_restrictions` hook has just let
        # a reader without a session or sign-in see the page, so none applies to it; adding
        # one sends `pages_changed`, which purges what was kept before.
    )


def _mark_private(response: HttpResponseBase) -> None:
    if "Cache-Control" not in response:
        patch_cache_control(response, private=True, no_cache=True)


def _mark_shared(response: HttpResponseBase, etag: str, status: str) -> None:
    response["ETag"] = etag
    response["X-Cache"] = status
    # Browsers revalidate every time (a 304 is cheap), so a reader who has just posted a
    # comment never sees their browser's copy; the CDN keeps the page until it is purged.
    response["Cache-Control"] = (
        f"public, max-age={settings.HTML_CACHE_MAX_AGE}, s-maxage={settings.HTML_CACHE_S_MAXAGE}"
    )
    patch_vary_headers(response, ["Cookie"])


def _route_remembered(request: HttpRequest, path: str) -> None:
    """Wagtail's route to the page at `path`, found once per content generation by this process.

    Routing walks the tree a level at a time (a query or two per level); the page it finds is
    remembered by id under the content version, then read fresh and checked (live, still at this
    path) before it is handed to Wagtail's `serve` through `Page.route_for_request`'s own cache
    on the request (`request._wagtail_route_for_request`, read from Wagtail 8.0.1). Routes with
    arguments, and anything the check refuses, are routed by Wagtail as usual."""
    host = f"{request.get_host()}:{get_language()}"
    site = cached_until_content_changes(f"page-site:{host}", lambda: Site.find_for_request(request))
    if site is None:
        return

    def route() -> tuple[int, int, str] | None:
        result = Page.route_for_request(request, path)
        if result is None or result[1] or result[2]:
            return None
        return result[0].pk, result[0].content_type_id, site.root_page.url_path

    found = cached_until_content_changes(f"page-route:{host}:{path}", route)
    if found is None or hasattr(request, "_wagtail_route_for_request"):
        return
    page_id, content_type_id, root_url_path = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    # A page model: its `objects` comes from Wagtail's Page, which has no type information.
    page = model.objects.filter(pk=page_id).first() if model is not None else None  # type: ignore[attr-defined]
    if page is not None and page.live and page.url_path == root_url_path + path:
        # Wagtail's own caches on the request, which django-stubs' HttpRequest does not declare.
        request._wagtail_site = site  # type: ignore[attr-defined]
        request._wagtail_route_for_request = (page, [], {})  # type: ignore[attr-defined]


def _versions(path_key: str, ensure: bool) -> tuple[str | None, str | None]:
    """The deploy's generation and the path's version, as stored in the shared cache. With
    `ensure`, either one missing (never set, or evicted, or the cache cleared) is set first to a
    new value, so nothing is ever kept under "missing": a key that goes missing later can never
    match what was kept before."""
    found = cache.get_many([GENERATION_KEY, path_key])
    if ensure:
        missing = {GENERATION_KEY: None, path_key: settings.HTML_CACHE_TIMEOUT * 2 or None}
        for key, timeout in missing.items():
            if found.get(key) is None:
                cache.add(key, uuid.uuid4().hex, timeout)  # another process may win: read it
                found[key] = cache.get(key)
    generation, version = found.get(GENERATION_KEY), found.get(path_key)
    return (_generation(generation) if generation is not None else None), version


def _is_current(entry: Entry | None, generation: str | None, version: str | None) -> bool:
    return (
        entry is not None
        and len(entry) == 7
        and generation is not None
        and version is not None
        and entry[:2] == (generation, version)
        and time.time() < entry[2] + settings.HTML_CACHE_TIMEOUT
    )


def _shared_entry(entry_key: str, generation: str | None, version: str | None) -> Entry | None:
    entry = cache.get(entry_key) if generation is not None and version is not None else None
    return entry if _is_current(entry, generation, version) else None


def _found(response: HttpResponse, entry: Entry, status: str) -> HttpResponse:
    """Mark `response` as the shared page `entry`, for `PageCacheMiddleware` to finish."""
    _mark_shared(response, entry[6], status)
    # A per-response value: HttpResponse declares no such attribute.
    response._page_cache_entry = entry  # type: ignore[attr-defined]
    return response


def cache_public_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Serve anonymous reads of `view` (Wagtail's `serve`) from the shared HTML cache."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        path = args[0] if args else kwargs.get("path", "")
        if not _is_anonymous_read(request):
            if request.method in ("GET", "HEAD"):
                _route_remembered(request, path)
            if settings.HTML_CACHE_TIMEOUT > 0:
                generation, version = _versions(_version_key(request.path_info), ensure=True)
                _remember_versions(request, generation, version)
            response = view(request, *args, **kwargs)
            _mark_private(response)
            return response
        version_key, entry_key = _version_key(request.path_info), _entry_key(request)
        generation, version = _versions(version_key, ensure=False)
        entry = _shared_entry(entry_key, generation, version)
        if entry is not None:
            return _found(HttpResponse(entry[3], content_type=entry[5]), entry, "HIT")
        if generation is None or version is None:
            generation, version = _versions(version_key, ensure=True)
        _remember_versions(request, generation, version)
        _route_remembered(request, path)
        response = view(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse):
            response.render()
        page = _served_page(response)
        if (
            page is None
            or generation is None
            or version is None
            or not isinstance(response, HttpResponse)
            or not _is_shareable(request, response)
        ):
            _mark_private(response)
            return response
        content = response.content
        etag = quote_etag(digest(content))
        made = time.time()
        entry = (
            generation,
            version,
            made,
            content,
            gzipped(content),
            response["Content-Type"],
            etag,
        )
        cache.set_many(
            {
                entry_key: entry,
                # Where this page was served, so a purge finds it after a move or delete.
                _paths_key(page.pk): [request.path_info],
            },
            settings.HTML_CACHE_TIMEOUT,
        )
        return _found(response, entry, "MISS")

    return wrapped


class PageCacheMiddleware:
    """Answers anonymous reads of the pages this process keeps, before the middlewares below it
    and URL resolution run, with the headers they added when the page was kept; gzips and
    answers 304s for every shared page.

    A page is kept here once `cache_public_page` has served it as shared (from the shared cache
    or rendered), with every header of the response as it left the middlewares inside; it is
    answered from here only while the shared cache's generation and the page's version are
    those it was kept under (read on every request: any process's purge replaces them). Only
    requests `cache_public_page` would answer from the shared cache are looked up, and only
    paths this process has kept pages for cost more than a dictionary lookup.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _is_anonymous_read(request):
            return self.get_response(request)
        url = _page_url(request)
        kept = _kept.get(url)
        if kept is not None:
            entry, headers = kept
            if _is_current(entry, *_versions(_version_key(request.path_info), ensure=False)):
                return send_shared(request, replay(entry[3], headers), entry[4])
            _kept.discard(url)
        response = self.get_response(request)
        entry = getattr(response, "_page_cache_entry", None)
        if entry is None or not isinstance(response, HttpResponse):
            return response
        if not response.cookies:  # no middleware below set one on the way out
            headers = [(header, value) for header, value in response.items() if header != "X-Cache"]
            _kept.set(url, (entry, headers), len(entry[3]) + len(entry[4] or b""))
        return send_shared(request, response, entry[4])


def _current_paths(page: Page) -> list[str]:
    parts = page.get_url_parts()
    if parts is None:
        return []
    page_path = parts[2]
    return [page_path + path.lstrip("/") for path in page.specific_deferred.get_cached_paths()]


def purge_pages(page_ids: Iterable[int]) -> None:
    """Make these pages' HTML stale in every process and purge them from the CDN."""
    ids = set(page_ids)
    if not ids:
        return
    recorded = cache.get_many([_paths_key(page_id) for page_id in ids])
    old_paths = {path for paths in recorded.values() for path in paths}
    pages = list(Page.objects.filter(pk__in=ids))
    paths = old_paths.union(*(_current_paths(page) for page in pages))
    # Twice the entries' lifetime: a version must outlive every entry made under the one before.
    cache.set_many(
        {_version_key(path): uuid.uuid4().hex for path in paths},
        settings.HTML_CACHE_TIMEOUT * 2 or None,
    )
    if settings.WAGTAILFRONTENDCACHE:
        base_url = settings.WAGTAILAPI_BASE_URL.rstrip("/")
        batch = PurgeBatch()
        batch.add_pages(pages)  # each page's full URL on its site
        batch.add_urls(f"{base_url}{path}" for path in old_paths)  # moved or deleted pages
        batch.add_urls(f"{base_url}/api/v2/pages/{page_id}/" for page_id in ids)
        batch.purge()


def purge_all(**kwargs: Any) -> None:
    """Make every cached page stale in every process (`post_migrate` receiver: each deploy)."""
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except DatabaseError:  # the database cache's table is not there (yet): nothing is cached
        logger.info("page cache: no cache table, nothing to purge")


def purge_on_pages_changed(sender: type, page_ids: frozenset[int], **kwargs: Any) -> None:
    """`pages_changed` receiver."""
    purge_pages(page_ids)


def connect_signals(app_config: AppConfig) -> None:
    pages_changed.connect(purge_on_pages_changed, dispatch_uid="page-cache-purge")
    post_migrate.connect(purge_all, sender=app_config, dispatch_uid="page-cache-purge-all")
