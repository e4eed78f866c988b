"""`/api/v2/` and `/api/v3/`: the endpoints each API answers, as links a client can follow."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from wagtail.api.v3.urls import api as api_v3

from immunotherapy.api.router import api_router

V3_DOCUMENTS = {"openapi.json", "docs"}


def _first_segments(routes: list[str]) -> list[str]:
    segments = (route.lstrip("^").split("/", 1)[0] for route in routes)
    return list(dict.fromkeys(segment for segment in segments if segment))


@require_GET
def api_v2_index(request: HttpRequest) -> JsonResponse:
    """The read-only API's endpoints (pages, images, documents, page preview, comments)."""
    names = _first_segments([str(p.pattern) for p in api_router.get_urlpatterns()])
    base = request.build_absolute_uri()
    return JsonResponse({"endpoints": {name: f"{base}{name}/" for name in names}})


@require_GET
def api_v3_index(request: HttpRequest) -> JsonResponse:
    """The read/write API's endpoints, with its OpenAPI document and interactive docs."""
    patterns, *_ = api_v3.urls
    names = _first_segments([str(p.pattern) for p in patterns])
    base = request.build_absolute_uri()
    return JsonResponse(
        {
            "endpoints": {name: f"{base}{name}/" for name in names if name not in V3_DOCUMENTS},
            "openapi": f"{base}openapi.json",
            "docs": f"{base}docs/",
        }
    )
