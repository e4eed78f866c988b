"""Every API answer is JSON, errors included, and a malformed API request never reaches a view.

- `APIRequestGuardMiddleware` refuses, before any view parses anything, an `offset` or `limit`
  that is not a whole number in range (a huge offset made the database fail) and a JSON body
  that is not an object or is nested deeper than `API_JSON_MAX_DEPTH` (Python's parser fails
  with RecursionError about 1,000 levels down). The body's size is bounded first by Django's
  DATA_UPLOAD_MAX_MEMORY_SIZE, checked as the body is read. Once the URL is resolved, an id in
  its path that no row can have (`/api/v3/pages/1.5/`, `/api/v2/pages/<2**74>/`) is a 404 and
  one in an id query parameter (`?child_of=²`) a 400, before a view puts it in a query.
- The `bad_request`, `permission_denied`, `page_not_found` and `server_error` views
  (`handler400` and the rest in the root URLconf) answer JSON under /api/: Django's own 400 for
  a body over DATA_UPLOAD_MAX_MEMORY_SIZE or too many form fields, and its 500 after an
  unhandled exception, which Django has logged with its traceback before calling the handler.

API v2 errors are `{"message": ...}` like Wagtail's own; API v3 errors are RFC 7807
problem+json like Wagtail's v3 handlers.
"""

import json
import re
from collections.abc import Callable
from http import HTTPStatus
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin
from django.views import defaults

from .params import MAX_OFFSET, InvalidNumber, id_parameter_problem, path_id_problem, query_int

API_PREFIX = "/api/"
V3_PREFIX = "/api/v3/"
PROBLEM_JSON = "application/problem+json"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
PAGING_PARAMETERS = ("offset", "limit")
# Query parameters both APIs read as page ids: v2's and v3's page filters
# (wagtail.api.v2.filters, wagtail.api.v3.routers.pages.PageFilterSchema) and `find/?id=`.
ID_PARAMETERS = ("id", "child_of", "descendant_of", "ancestor_of", "translation_of")
JSON_WHITESPACE = b" \t\r\n"

# Nesting is measured on the structure alone, in C-speed steps: escapes go first (a "\"" would
# otherwise end a string), then every byte but quotes and brackets, then the strings.
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_STRING = re.compile(rb'"[^"]*"')
_NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(b'"[]{}')))
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1


def json_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in the JSON text `body` (0 for a bare value)."""
    structure = _STRING.sub(b"", _ESCAPE.sub(b"", body).translate(None, _NOT_STRUCTURE))
    return max(accumulate(map(_STEP.__getitem__, structure)), default=0)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A JSON error in the shape of the API the request went to."""
    if request.path.startswith(V3_PREFIX):
        payload = {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": message,
        }
        content_type = PROBLEM_JSON
    else:
        payload = {"message": message}
        content_type = "application/json"
    return HttpResponse(json.dumps(payload), status=status, content_type=content_type)


def json_body_problem(body: bytes) -> str | None:
    """Why this JSON request body is refused before parsing, or None to let the view read it."""
    start = body.lstrip(JSON_WHITESPACE)[:1]
    if start == b"":
        return None  # no body: the view says what it needs
    if start != b"{":
        return "The request body must be a JSON object."
    limit = settings.API_JSON_MAX_DEPTH
    if json_depth(body) > limit:
        return f"The request body nests objects and arrays more than {limit} levels deep."
    return None


class APIRequestGuardMiddleware(MiddlewareMixin):
    """Refuses a malformed API request with a 400 JSON error before any view parses it."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        problem = self.problem(request) if is_api_request(request) else None
        return api_error(request, 400, problem) if problem is not None else None

    def problem(self, request: HttpRequest) -> str | None:
        try:
            for name in PAGING_PARAMETERS:
                query_int(request.GET, name, 0, maximum=MAX_OFFSET)
        except InvalidNumber as error:
            return str(error)
        # Only JSON: reading a multipart upload here would hold the whole file in memory.
        if request.method in WRITE_METHODS and (request.content_type or "").endswith("json"):
            return json_body_problem(request.body)
        return None

    def process_view(
        self, request: HttpRequest, view: Callable, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not is_api_request(request):
            return None
        missing = path_id_problem(kwargs)
        if missing is not None:
            return api_error(request, 404, f"Nothing at this address: {missing}.")
        problem = id_parameter_problem(request.GET, ID_PARAMETERS)
        return api_error(request, 400, problem) if problem is not None else None


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return api_error(request, 400, _bad_request_message(exception))
    return defaults.bad_request(request, exception)


def _bad_request_message(exception: Exception) -> str:
    # Django's own reasons (RequestDataTooBig, TooManyFieldsSent) say what to change.
    return str(exception) or "The request could not be understood."


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return api_error(request, 403, str(exception) or "You may not do that.")
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return api_error(request, 404, "Nothing at this address.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return api_error(request, 500, "Internal server error; it has been logged.")
    return defaults.server_error(request)
