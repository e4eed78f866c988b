"""HTTP caching for the API: ETags, Cache-Control, 304s and a server-side response cache.

Anonymous GETs of API v2 are stored in Django's cache under a key that includes
a *generation* number. Publishing, unpublishing, moving or deleting a page, or
changing a snippet, image, document or comment, bumps the generation, so every
cached response is invalidated at once, on every app server sharing the cache
(Redis in production). Conditional requests get a 304 when the ETag matches.
"""

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags, quote_etag

from wagtail.images.models import AbstractRendition
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "api-cache:generation"
T = TypeVar("T")

# What one request has read from the cache (the generation, values kept until content changes),
# so that it reads each once, not once per page; set by the middleware below for each request.
_request_memo: ContextVar[dict[str, Any] | None] = ContextVar("http_cache_memo", default=None)


def digest(data: bytes) -> str:
    """A short, stable hash of `data`, for cache keys and ETags."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _remembered(key: str, read: Callable[[], T]) -> T:
    memo = _request_memo.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def current_generation() -> int:
    def read() -> int:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, 1, timeout=None)
            generation = cache.get(GENERATION_KEY, 1)
        return generation

    return _remembered(GENERATION_KEY, read)


def cached_until_content_changes(name: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the cache under the current generation, so computed again once
    content changes (on every app server sharing the cache). A `None` result is not kept."""
    key = f"{name}:{current_generation()}"

    def read() -> T:
        value = cache.get(key)
        if value is None:
            value = compute()
            if value is not None:
                cache.set(key, value, settings.API_CACHE_TIMEOUT)
        return value

    return _remembered(key, read)


def invalidate_api_cache(**_kwargs: Any) -> None:
    """Make every cached API response stale (signal receiver and plain function)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: nothing cached under the old one either
        cache.add(GENERATION_KEY, 2, timeout=None)
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


def _content_changed(sender: type, **kwargs: Any) -> None:
    if issubclass(sender, Page | AbstractRendition):
        return  # pages count when published (below); renditions are made while reading
    if sender._meta.app_label in settings.API_CACHE_INVALIDATING_APPS:
        invalidate_api_cache()


def connect_invalidation_signals() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(invalidate_api_cache, dispatch_uid=f"api-cache-{signal!r}")
    post_delete.connect(invalidate_api_cache, sender=Page, dispatch_uid="api-cache-page-delete")
    post_save.connect(_content_changed, dispatch_uid="api-cache-content-save")
    post_delete.connect(_content_changed, dispatch_uid="api-cache-content-delete")


def _etag_for(content: bytes) -> str:
    return quote_etag(digest(content))


class APICacheMiddleware:
    """Adds ETag and Cache-Control to API responses, answers 304s, and caches API v2 reads.

    For every request, it also keeps what the request reads from the cache through
    `current_generation()` and `cached_until_content_changes()`, so each is read once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_memo.set({})
        try:
            return self._respond(request)
        finally:
            _request_memo.reset(token)

    def _respond(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not request.path.startswith("/api/"):
            return self.get_response(request)
        shared = self._is_shared(request)
        key = self._key(request) if shared else None
        cached = cache.get(key) if key else None
        if cached is not None:
            content, content_type, etag = cached
            response = HttpResponse(content, content_type=content_type)
            response["ETag"] = etag
            response["X-Cache"] = "HIT"
        else:
            response = self.get_response(request)
            if response.status_code != 200 or response.streaming:
                return response
            etag = _etag_for(response.content)
            response["ETag"] = etag
            if key:
                cache.set(
                    key,
                    (response.content, response["Content-Type"], etag),
                    settings.API_CACHE_TIMEOUT,
                )
                response["X-Cache"] = "MISS"
        if shared:
            response["Cache-Control"] = (
                f"public, max-age={settings.API_CACHE_MAX_AGE}, "
                f"s-maxage={settings.API_CACHE_S_MAXAGE}"
            )
        else:
            response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Accept-Encoding"])
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary", "X-Cache"):
                if header in response:
                    not_modified[header] = response[header]
            return not_modified
        return response

    @staticmethod
    def _is_shared(request: HttpRequest) -> bool:
        """Whether the answer is the same for everyone: API v2, no credentials, no preview."""
        return (
            request.path.startswith("/api/v2/")
            and not request.path.startswith("/api/v2/page_preview/")
            and "Authorization" not in request.headers
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    @staticmethod
    def _key(request: HttpRequest) -> str:
        query = "&".join(sorted(request.GET.urlencode().split("&")))
        raw = f"{request.get_host()}{request.path}?{query}"
        return f"api-cache:{current_generation()}:{digest(raw.encode())}"
