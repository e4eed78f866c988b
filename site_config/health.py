"""`/healthz` for load balancers: can this app server reach its database and cache?
`/ping/` for liveness probes: is the process answering at all?"""

import logging
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def check_database() -> None:
    """Run a trivial query on the primary database."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    """Write a short-lived key and read it back."""
    key, value = "healthz", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("value written to the cache could not be read back")


CHECKS = {"database": check_database, "cache": check_cache}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with each check's status when all pass; 503 naming the ones that failed."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure means "not healthy"; the log keeps the detail
            logger.exception("health check %s failed", name)
            results[name] = "error"
        else:
            results[name] = "ok"
    failed = [name for name, status in results.items() if status != "ok"]
    body = {"status": "error" if failed else "ok", "checks": results, "failed": failed}
    return JsonResponse(body, status=503 if failed else 200)


@never_cache
@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """Liveness probe: answers through the full middleware stack, touching no database or cache."""
    return HttpResponse("pong", content_type="text/plain")
