"""API v3 writes: content errors answer 400 with each block's path.

Wagtail's v3 API binds a write to the page's admin form, so every block's `clean()` (NCT ids,
alt text, a therapy page's required blocks) runs as it does in the admin, and nothing is saved
when one fails. Wagtail reports a StreamField failure as a single 422 "Validation error in
StreamBlock" on the field. This project's contract is 400 naming the field inside the stream
(`["body", 3, "nct_id"]`), so the handler below re-cleans the submitted stream to find it.
A malformed request (wrong JSON shape) stays 422.
"""

import json
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.signals import got_request_exception
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin
from django.utils.log import log_response

from wagtail.api.v3.errors import problem_response
from wagtail.api.v3.urls import api
from wagtail.blocks import StreamBlockValidationError
from wagtail.coreutils import resolve_model_string
from wagtail.fields import StreamField
from wagtail.models import Page
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
        match = request.resolver_match
        page_id = match.kwargs.get("page_id") if match is not None else None
        page = Page.objects.filter(pk=page_id).first() if page_id else None
        return page.specific_class if page else None


def stream_errors(request: HttpRequest, name: str) -> list[dict[str, Any]] | None:
    """Detailed errors for the stream field `name` of the submitted page, if it fails to clean."""
    if not (request.content_type or "").endswith("json"):
        return None  # a multipart upload (image, document): its body has been read as a stream
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
    try:
        value = block.to_python(payload[name])
        # Streams that drop blank blocks in the admin (DropBlankBlocksMixin, in the blocks,
        # which use this package) say which they are.
        blank_children = getattr(block, "blank_children", None)
        blank = blank_children(value) if blank_children else []
        errors = blank_block_errors(value, blank, name)
    except (ValidationError, ValueError, TypeError, KeyError, AttributeError):
        return None
    # `clean` leaves the blank blocks out: its errors count the blocks that are left.
    sent_at = [index for index, child in enumerate(value) if child not in blank]
    publishing = (payload.get("meta") or {}).get("action") == "publish"
    # A draft may leave required fields for later, as in the admin (Wagtail's clean_deferred).
    clean = block.clean if publishing else block.clean_deferred
    try:
        clean(value)
    except StreamBlockValidationError as exc:
        for error in flatten_block_errors(exc.as_json_data(), [name]):
            if len(error["loc"]) > 1 and isinstance(error["loc"][1], int):
                error["loc"][1] = sent_at[error["loc"][1]]
            errors.append(error)
    except (ValidationError, ValueError, TypeError, KeyError):
        return errors or None
    return errors or None


def blank_block_errors(value: Any, blank: list[Any], name: str) -> list[dict[str, Any]]:
    """An error for each field a blank block needs (as its own `clean` asks, required fields
    not deferred), at the block's index as sent: API writes refuse blank blocks
    (`immunotherapy.forms`)."""
    errors = []
    for index, child in enumerate(value):
        if child not in blank:
            continue
        place = f"Empty {child.block_type} block at {name}[{index}]"
        try:
            child.block.clean(child.value)
            fields = [{"loc": [name, index], "msg": "fill it in or leave it out."}]
        except ValidationError as exc:
            json_data = getattr(exc, "as_json_data", None)
            data = json_data() if json_data else {"messages": exc.messages}
            fields = flatten_block_errors(data, [name, index])
        for error in fields:
            field = ".".join(str(part) for part in error["loc"][2:])
            msg = f"{place}: {field}: {error['msg']}" if field else f"{place}: {error['msg']}"
            errors.append({"type": "blank_block", "loc": error["loc"], "msg": msg})
    return errors


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


def conflict_response(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    """409 for a write that breaks a uniqueness rule despite the form's check (two requests at
    once); the write's transaction has been rolled back, so nothing was stored."""
    return problem_response(
        status=409,
        detail="This conflicts with an existing record: a value that must be unique is taken.",
    )


def suspicious_request_response(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """400 for a request Django refuses to read (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too
    many form fields or files), as Django itself answers outside the API."""
    return problem_response(status=400, detail=str(exc) or "The request could not be read.")


def server_error_response(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A problem+json 500, logged with its traceback as Django logs its own 500s.

    Replaces Wagtail's `unhandled_exception_handler` (wagtail.api.v3.errors), which re-raises
    (Django's HTML 500 page) or, with DEBUG on, answers without logging anything.
    """
    got_request_exception.send(sender=None, request=request)
    detail = str(exc) if settings.DEBUG else "Internal server error; it has been logged."
    response = problem_response(status=500, detail=detail)
    log_response(
        "Internal Server Error: %s", request.path, response=response, request=request, exception=exc
    )
    return response


# Wagtail 8.0's v3 page actions fail with AttributeError (a 500) on the root page, which has no
# parent: `copy` and `create_alias` look for a free slug under `page.get_parent()` when no
# destination is given (PageCopySchema.get_update_attrs, PageCreateAliasSchema.get_update_slug
# in wagtail.api.v3.routers.pages), and `move` beside the root asks MovePageAction for the
# root's parent. The admin offers none of these; the API refuses them before Wagtail runs them.
_ROOT_ACTION = re.compile(
    r"^/api/v3/pages/(?P<page_id>[0-9]{1,18})/actions/(?P<action>copy|create_alias|move)/$"
)
_SIBLING_POSITIONS = frozenset({"left", "right", "first-sibling", "last-sibling"})


def _root_action_refusal(request: HttpRequest) -> str | None:
    match = _ROOT_ACTION.match(request.path)
    if request.method != "POST" or match is None:
        return None
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return None  # Wagtail answers a malformed body itself (422)
    payload = payload if isinstance(payload, dict) else {}
    roots = set(Page.objects.filter(depth=1).values_list("pk", flat=True))
    if int(match["page_id"]) in roots:
        return "The root page cannot be copied, aliased or moved."
    destination = payload.get("destination_id")
    beside = match["action"] == "move" and payload.get("position") in _SIBLING_POSITIONS
    if beside and isinstance(destination, int) and destination in roots:
        return "A page cannot be placed beside the root page; move it under a page instead."
    return None


class RootPageActionGuardMiddleware(MiddlewareMixin):
    """400 problem+json for v3 page actions that cannot apply to the root page."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        reason = _root_action_refusal(request)
        return problem_response(status=400, detail=reason) if reason is not None else None


def register_v3_error_handlers() -> None:
    api.add_exception_handler(FormValidationError, content_error_response)
    api.add_exception_handler(IntegrityError, conflict_response)
    api.add_exception_handler(SuspiciousOperation, suspicious_request_response)
    api.add_exception_handler(Exception, server_error_response)
