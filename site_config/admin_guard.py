"""Admin requests Wagtail would answer with a 500 get a 400 that says what is wrong.

Wagtail's admin (8.0) trusts some request values its own pages always send well formed; an
editor's browser extension, a stale tab or an attacker can send them otherwise. Each rule below
names the Wagtail code it protects. Numbers go through `params` like every other number a
request brings: an id in the URL's path that no row can have (`/admin/pages/1.5/`, a number past
the 64-bit range) is a 404 before any view runs, and one in the query string or the form is a 400.
"""

import json
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.deprecation import MiddlewareMixin

from .params import id_parameter_problem, path_id_problem

ADMIN_PREFIX = "/admin/"
# Read with `redirect(next)` (wagtail.admin.utils.get_valid_next_url_from_request): a value
# that is neither a path nor a URL is looked up as a view name -> NoReverseMatch.
NEXT_PARAMETER = "next"
# Ids read from the query string or the form and used unchecked: the link choosers reverse
# `wagtailadmin_choose_page_child` with `?parent_page_id=` (wagtail.admin.views.chooser), the
# page copy view reads `Page.objects.get(id=POST["new_parent_page"])` before its form runs
# (wagtail.admin.views.pages.copy.CopyView.post), bulk actions filter on `?id=` and, with
# `id=all`, get `?childOf=` (wagtail.admin.views.bulk_action), the choosers' chosen-multiple views
# and the admin API's `find/` filter on `?id=` (wagtail.admin.views.generic.chooser,
# wagtail.api.v2.views.BaseAPIViewSet.find_object), the page chooser calls `int()` on each
# `?target_pages[]=` (wagtail.admin.views.chooser.BrowseView); this project's WordPress import
# looks its stored upload up by the form's `upload_id`.
ID_PARAMETERS = (
    "id",
    "childOf",
    "target_pages[]",
    "parent_page_id",
    "new_parent_page",
    "upload_id",
)
# Views whose `?id=` is no row's id: the block preview's is a block definition ("blockdef-12").
NOT_ID_PARAMETERS = {"wagtailadmin_block_preview": ("id",)}
# The page and snippet edit views pass this field to json.loads and its result as keyword
# arguments to the task's `on_action` (wagtail.admin.views.pages.edit.EditView and
# wagtail.admin.views.generic.mixins): anything but a JSON object was a 500.
WORKFLOW_EXTRA_DATA = "workflow-action-extra-data"
# Link chooser forms whose URL field fails on a missing value (None.startswith) instead of
# reporting it (wagtail.admin.forms.choosers.URLOrAbsolutePathField.to_python).
REQUIRED_POST_FIELDS = {
    "wagtailadmin_choose_page_external_link": ("external-link-chooser-url",),
}


def _refusal(request: HttpRequest, url_name: str) -> str | None:
    """Why the request cannot be served, or None."""
    for value in (request.GET.get(NEXT_PARAMETER), request.POST.get(NEXT_PARAMETER)):
        if value and not value.startswith(("/", "http://", "https://")):
            return f"{NEXT_PARAMETER} must be a path on this site, such as /admin/."
    not_ids = NOT_ID_PARAMETERS.get(url_name, ())
    id_names = [name for name in ID_PARAMETERS if name not in not_ids]
    for params in (request.GET, request.POST):
        problem = id_parameter_problem(params, id_names)
        if problem is not None:
            return problem
    extra_data = request.POST.get(WORKFLOW_EXTRA_DATA)
    if extra_data is not None:
        try:
            parsed = json.loads(extra_data)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict) or not all(key.isidentifier() for key in parsed):
            return f"{WORKFLOW_EXTRA_DATA} must be a JSON object of named values."
    return None


class AdminRequestGuardMiddleware(MiddlewareMixin):
    """Refuse malformed admin requests before Wagtail reads them; a form field the request
    left out (`request.POST[name]` raising MultiValueDictKeyError) is a 400, not a 500. An id in
    the path that no row can have is a 404, as an id that names no row is."""

    def process_view(
        self, request: HttpRequest, view: Callable, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not request.path.startswith(ADMIN_PREFIX):
            return None
        missing = path_id_problem(kwargs)
        if missing is not None:
            raise Http404(missing)
        url_name = getattr(request.resolver_match, "url_name", None) or ""
        reason = _refusal(request, url_name)
        if reason is None and request.method == "POST":
            for name in REQUIRED_POST_FIELDS.get(url_name, ()):
                if name not in request.POST:
                    reason = f"The form was incomplete: {name} is missing."
        return _bad_request(reason) if reason else None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith(ADMIN_PREFIX) and isinstance(exception, MultiValueDictKeyError):
            missing = exception.args[0] if exception.args else "a field"
            return _bad_request(f"The form was incomplete: {missing} is missing.")
        return None


def _bad_request(reason: str) -> HttpResponse:
    return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")
