"""HTTP caching for the API: ETags, Cache-Control, 304s, and each process's response cache.

Every content change that readers could see moves the content version on, in the database, in
the transaction that stores the new page JSON (`invalidation.py`). Each request reads that number
once (one indexed row), and each process keeps anonymous API v2 answers, and small lookups
(`cached_until_content_changes`), under it: the first request after a change made in any process
(another worker, `publish_scheduled` from cron, `manage.py shell`) misses, and is answered from
the stored page JSON, which was already rebuilt for exactly the pages that changed. No cache has
to be shared between processes for this to hold, with or without Redis.
"""

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections, router
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags, quote_etag

from immunotherapy.api.models import ContentVersion

T = TypeVar("T")
VERSION_KEY = "content-version"

# What one request has read (the content version, values kept until content changes), so that
# it reads each once; set by the middleware below for each request.
_request_memo: ContextVar[dict[str, Any] | None] = ContextVar("http_cache_memo", default=None)


class _ProcessCache:
    """Values kept by this process for one content version; a new version empties it."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self.version: int | None = None
        self.entries: OrderedDict[str, Any] = OrderedDict()

    def get(self, version: int, key: str) -> Any:
        if version != self.version:
            self.version, self.entries = version, OrderedDict()
            return None
        value = self.entries.get(key)
        if value is not None:
            self.entries.move_to_end(key)
        return value

    def set(self, version: int, key: str, value: Any) -> None:
        if version != self.version:
            self.version, self.entries = version, OrderedDict()
        self.entries[key] = value
        if len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)


_process_cache = _ProcessCache(max_entries=1000)


def clear_process_cache() -> None:
    """Forget what this process keeps (tests, whose rolled-back databases reuse versions)."""
    _process_cache.version, _process_cache.entries = None, OrderedDict()


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


def content_version() -> int:
    """The content version, read from the database once per request."""

    def read() -> int:
        alias = router.db_for_read(ContentVersion)
        table = connections[alias].ops.quote_name(ContentVersion._meta.db_table)
        with connections[alias].cursor() as cursor:
            cursor.execute(f"SELECT number FROM {table} WHERE id = 1")  # noqa: S608
            row = cursor.fetchone()
        return row[0] if row else 0

    return _remembered(VERSION_KEY, read)


def bump_content_version() -> None:
    """Move the content version on (in the caller's transaction, with the change it marks)."""

    if not ContentVersion.objects.filter(pk=1).update(number=F("number") + 1):
        ContentVersion.objects.get_or_create(pk=1, defaults={"number": 2})
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


def cached_until_content_changes(
    name: str, compute: Callable[[], T], is_fresh: Callable[[T], bool] | None = None
) -> T:
    """`compute()`, kept by this process until content changes anywhere, or until `is_fresh`
    says the kept value is not (for what time alone changes). `None` is not kept."""

    def read() -> T:
        version = content_version()
        value = _process_cache.get(version, name)
        if value is None or (is_fresh is not None and not is_fresh(value)):
            value = compute()
            if value is not None:
                _process_cache.set(version, name, value)
        return value

    return _remembered(f"value:{name}", read)


def _etag_for(content: bytes) -> str:
    return quote_etag(digest(content))


class APICacheMiddleware:
    """Adds ETag and Cache-Control to API responses, answers 304s, and keeps API v2 reads.

    It sits just inside CORS (whose headers depend on the request's Origin), outside every other
    middleware: a kept answer is stored with the headers they added (security headers, the
    content security policy) and replayed whole, without running them, URL resolution or the
    view again. Only 200s without cookies are kept; what the middlewares inside refuse or
    redirect (a bad query, plain HTTP under `SECURE_SSL_REDIRECT`) is never a kept 200, as the
    key holds the scheme, host, path and query string.

    For every request, it also keeps what the request reads through `content_version()` and
    `cached_until_content_changes()`, so each is read once.
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
        version = content_version() if key else 0
        cached = _process_cache.get(version, key) if key else None
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content)
            for header, value in headers:
                response[header] = value
            response["X-Cache"] = "HIT"
        else:
            response = self.get_response(request)
            if response.status_code != 200 or response.streaming:
                return response
            self._add_caching_headers(response, shared)
            if key and not response.cookies:
                response["X-Cache"] = "MISS"
                _process_cache.set(version, key, (response.content, list(response.items())))
        if response["ETag"] in parse_etags(request.headers.get("If-None-Match", "")):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary", "X-Cache"):
                if header in response:
                    not_modified[header] = response[header]
            return not_modified
        return response

    @staticmethod
    def _add_caching_headers(response: HttpResponse, shared: bool) -> None:
        response["ETag"] = _etag_for(response.content)
        if shared:
            response["Cache-Control"] = (
                f"public, max-age={settings.API_CACHE_MAX_AGE}, "
                f"s-maxage={settings.API_CACHE_S_MAXAGE}"
            )
        else:
            response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Accept-Encoding"])

    @staticmethod
    def _is_shared(request: HttpRequest) -> bool:
        """Whether the answer is the same for everyone: API v2, no credentials, no preview."""
        return (
            settings.API_CACHE_TIMEOUT > 0
            and request.path.startswith("/api/v2/")
            and not request.path.startswith("/api/v2/page_preview/")
            and "Authorization" not in request.headers
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    @staticmethod
    def _key(request: HttpRequest) -> str:
        # The query string as sent, its parameters sorted: no parsing on the way to a kept answer.
        query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
        return f"api-response:{request.scheme}://{request.get_host()}{request.path}?{query}"
