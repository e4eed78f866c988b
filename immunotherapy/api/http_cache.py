"""HTTP caching for the API: ETags, Cache-Control, 304s, and each process's response cache.

Every content change that readers could see moves the content version on, in the database, in
the transaction that stores the new page JSON (`invalidation.py`). Each request reads that number
once (one indexed row), and each process keeps anonymous API v2 answers, and small lookups
(`cached_until_content_changes`), under it: the first request after a change made in any process
(another worker, `publish_scheduled` from cron, `manage.py shell`) misses, and is answered from
the stored page JSON, which was already rebuilt for exactly the pages that changed. No cache has
to be shared between processes for this to hold, with or without Redis.

A kept answer is also kept gzipped, compressed once, and sent so to readers that accept it
(browsers, `fetch`, CDNs); answers made for one request are sent as made (a proxy in front may
compress them).
"""

import re
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections, router
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.text import compress_string

import xxhash

from immunotherapy.api.models import ContentVersion

T = TypeVar("T")
VERSION_KEY = "content-version"

# What one request has read (the content version, values kept until content changes), so that
# it reads each once; set by the middleware below for each request.
_request_memo: ContextVar[dict[str, Any] | None] = ContextVar("http_cache_memo", default=None)


class BoundedCache:
    """Values kept by this process, least recently used dropped first past a number of entries
    or a number of bytes (each value's size as the caller gives it)."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.entries: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self.size = 0
        _bounded_caches.append(self)

    def get(self, key: str) -> Any:
        found = self.entries.get(key)
        if found is None:
            return None
        self.entries.move_to_end(key)
        return found[0]

    def set(self, key: str, value: Any, size: int = 0) -> None:
        self.discard(key)
        self.entries[key] = (value, size)
        self.size += size
        while len(self.entries) > self.max_entries or self.size > self.max_bytes:
            self.size -= self.entries.popitem(last=False)[1][1]

    def discard(self, key: str) -> None:
        found = self.entries.pop(key, None)
        if found is not None:
            self.size -= found[1]

    def clear(self) -> None:
        self.entries, self.size = OrderedDict(), 0


_bounded_caches: list[BoundedCache] = []


class _ProcessCache(BoundedCache):
    """Values kept by this process for one content version; a new version empties it."""

    version: int | None = None

    def get_current(self, version: int, key: str) -> Any:
        if version != self.version:
            self.version = version
            self.clear()
            return None
        return self.get(key)

    def set_current(self, version: int, key: str, value: Any, size: int = 0) -> None:
        if version != self.version:
            self.version = version
            self.clear()
        self.set(key, value, size)


# Kept API answers are up to a few hundred kilobytes each: bounded by bytes as well as count.
_process_cache = _ProcessCache(max_entries=1000, max_bytes=64 * 1024 * 1024)


def clear_process_cache() -> None:
    """Forget what this process keeps (tests, whose rolled-back databases reuse versions)."""
    _process_cache.version = None
    for kept in _bounded_caches:
        kept.clear()


def digest(data: str | bytes) -> str:
    """A short, stable hash of `data`, for cache keys and ETags: 128 bits of xxh3, fast on
    large answers (about 20 times blake2b's speed); not for secrets."""
    return xxhash.xxh3_128_hexdigest(data.encode() if isinstance(data, str) else data)


# Below this many bytes compressing does not pay (as Django's GZipMiddleware).
_MIN_GZIP_SIZE = 200
# A request that accepts gzip (Django's GZipMiddleware's test).
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def gzipped(content: bytes) -> bytes | None:
    """`content` gzipped, once, for a kept answer; None where that does not make it smaller.

    Only answers that every reader shares are kept, so none holds a secret (a CSRF token,
    a session's data) for a compression side channel such as BREACH to find."""
    if len(content) < _MIN_GZIP_SIZE:
        return None
    small = compress_string(content)
    return small if len(small) < len(content) else None


def replay(content: bytes, headers: list[tuple[str, str]]) -> HttpResponse:
    """A kept answer with the headers it left the middlewares with, marked as served kept."""
    response = HttpResponse(content)
    for header, value in headers:
        response[header] = value
    response["X-Cache"] = "HIT"
    return response


def send_shared(
    request: HttpRequest, response: HttpResponse, gzipped: bytes | None
) -> HttpResponse:
    """A shared answer as sent: gzipped to a reader that accepts it, with a weak ETag (as
    Django's GZipMiddleware does: the bytes differ, the content does not); a 304 to a reader
    who has it (Django's `get_conditional_response`, which compares ETags weakly)."""
    patch_vary_headers(response, ["Accept-Encoding"])
    if gzipped is not None and _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response.content = gzipped
        response["Content-Length"] = str(len(gzipped))
        response["Content-Encoding"] = "gzip"
        etag = response.get("ETag")
        if etag and not etag.startswith("W/"):
            response["ETag"] = f"W/{etag}"
    # Given a response, Django returns it or a 304/412: never None (django-stubs says maybe).
    return get_conditional_response(request, etag=response["ETag"], response=response)  # type: ignore[return-value]


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
        value = _process_cache.get_current(version, name)
        if value is None or (is_fresh is not None and not is_fresh(value)):
            value = compute()
            if value is not None:
                _process_cache.set_current(version, name, value)
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
        kept = _process_cache.get_current(version, key) if key else None
        if kept is not None:
            content, compressed, headers = kept
            response = replay(content, headers)
        else:
            response = self.get_response(request)
            if response.status_code != 200 or response.streaming:
                return response
            self._add_caching_headers(response, shared)
            compressed = None
            if key and not response.cookies:
                response["X-Cache"] = "MISS"
                compressed = gzipped(response.content)
                kept = (response.content, compressed, list(response.items()))
                size = len(response.content) + len(compressed or b"")
                _process_cache.set_current(version, key, kept, size)
        return send_shared(request, response, compressed)

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
