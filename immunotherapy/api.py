"""API code for this app: the v2 pages endpoint class, and 400s for bad content on v3 writes.

API v3 writes: content errors answer 400 with each block's path.

Wagtail's v3 API binds a write to the page's admin form, so every block's `clean()` (NCT ids,
alt text, a therapy page's required blocks) runs as it does in the admin, and nothing is saved
when one fails. Wagtail reports a StreamField failure as a single 422 "Validation error in
StreamBlock" on the field. This project's contract is 400 naming the field inside the stream
(`["body", 3, "nct_id"]`), so the handler below re-cleans the submitted stream to find it.
A malformed request (wrong JSON shape) stays 422.
"""

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from wagtail.api.v2.views import PagesAPIViewSet as BasePagesAPIViewSet
from wagtail.api.v3.errors import problem_response
from wagtail.blocks import StreamBlockValidationError
from wagtail.coreutils import resolve_model_string
from wagtail.fields import StreamField
from wagtail.models import Page, PageQuerySet
from wagtail.utils.forms import FormValidationError


def flatten_block_errors(data: dict[str, Any], loc: list[Any]) -> list[dict[str, Any]]:
    """Block error JSON (as the admin gets it) as a flat list of {loc, msg} entries."""
    errors = [{"type": "invalid", "loc": loc, "msg": msg} for msg in data.get("messages", [])]
    children = data.get("blockErrors") or {}
    items = children.items() if isinstance(children, dict) else enumerate(children)
    for key, child in items:
        if child:
            errors.extend(flatten_block_errors(child, [*loc, key]))
    return errors


def _page_model(request: HttpRequest, payload: dict[str, Any]) -> type[Page] | None:
    try:
        return resolve_model_string(payload["meta"]["type"])
    except (KeyError, TypeError, ValueError, LookupError):
        page_id = (request.resolver_match.kwargs or {}).get("page_id")
        page = Page.objects.filter(pk=page_id).first() if page_id else None
        return page.specific_class if page else None


def stream_errors(request: HttpRequest, name: str) -> list[dict[str, Any]] | None:
    """Detailed errors for the stream field `name` of the submitted page, if it fails to clean."""
    try:
        payload = json.loads(request.body)
    except ValueError:
        return None
    model = _page_model(request, payload) if isinstance(payload, dict) else None
    if model is None or name not in payload:
        return None
    try:
        field = model._meta.get_field(name)
    except LookupError:
        return None
    if not isinstance(field, StreamField):
        return None
    block = field.stream_block
    publishing = (payload.get("meta") or {}).get("action") == "publish"
    if not publishing:
        block.defer_required_validation()
    try:
        block.clean(block.to_python(payload[name]))
    except StreamBlockValidationError as exc:
        return flatten_block_errors(exc.as_json_data(), [name])
    except (ValidationError, ValueError, TypeError, KeyError):
        return None
    finally:
        if not publishing:
            block.restore_deferred_validation()
    return None


def content_error_response(request: HttpRequest, exc: FormValidationError) -> HttpResponse:
    errors: list[dict[str, Any]] = []
    for path, coded_messages in exc.loc_errors:
        detailed = stream_errors(request, path[0]) if len(path) == 1 else None
        if detailed:
            errors.extend(detailed)
            continue
        errors.extend(
            {"type": code, "loc": list(path), "msg": message} for message, code in coded_messages
        )
    return problem_response(status=400, detail="Invalid content", errors=errors)


def register_v3_error_handlers() -> None:
    from wagtail.api.v3.urls import api

    api.add_exception_handler(FormValidationError, content_error_response)


def orphan_page_content_type_ids() -> list[int]:
    """Content types of stored pages whose model is gone, such as a disabled plugin's pages."""
    used = Page.objects.values_list("content_type_id", flat=True).distinct()
    return [ct.pk for ct in ContentType.objects.filter(pk__in=used) if ct.model_class() is None]


class PagesAPIViewSet(BasePagesAPIViewSet):
    """Wagtail's v2 pages endpoint, leaving out pages of therapy plugins that are not enabled."""

    def get_base_queryset(self) -> PageQuerySet:
        return super().get_base_queryset().exclude(content_type__in=orphan_page_content_type_ids())
