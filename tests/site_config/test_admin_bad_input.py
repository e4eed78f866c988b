"""Every admin URL answers bad input with a 4xx, never a 500, for a superuser and an editor.

The URL patterns are read from the URLconf, so a view added later (by Wagtail, an add-on or this
project) is walked too. Each path parameter is filled with a real id (or name), an id that does
not exist and malformed values; each URL is requested bare (no query string), then sent query
strings and bodies an attacker would try. An id in the path that no row can have (past the
64-bit range, a float, a superscript digit) is a 404 before any view runs. Every request runs in
a savepoint rolled back afterwards, so each one meets the same data; when the answer is a
refusal (4xx), nothing stored may have changed.
"""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    GroupPagePermission,
    Page,
    PageViewRestriction,
    Revision,
    Site,
    Task,
    TaskState,
    Workflow,
    WorkflowState,
)
from wagtail.snippets.models import get_snippet_models

import pytest

from comments.models import Comment
from immunotherapy.models import ArticlePage

pytestmark = [pytest.mark.django_db, pytest.mark.backends]

# A number `str.isdigit()` takes and `int()` refuses; one that overflows every integer column.
SUPERSCRIPT = "²"
OVERFLOW = "36893488147419103232"
FLOAT = "1.5"
MISSING_ID = "999999999"

# Parameters admin views read from the query string (paging, search, ordering, listing filters,
# choosers, reports), each given values that are not what the view expects.
QUERY_PARAMETERS = (
    "p",
    "page",
    "q",
    "ordering",
    "per_page",
    "collection_id",
    "content_type",
    "locale",
    "user",
    "owner",
    "site",
    "action",
    "page_type",
    "tag",
    "status",
    "status__exact",
    "page__id__exact",
    "edited",
    "timestamp_from",
    "timestamp_to",
    "timestamp_after",
    "timestamp_before",
    "created_at__gte",
    "latest_revision_created_at_from",
    "next",
    "parent_page_id",
    "id",
    "ids",
    "model",
    "model_name",
    "app_label",
    "for_id",
    "to",
    "field_name",
    "multiple",
    "exclude",
    "choice",
    "o",
    "all",
    "locale_filter",
    "start_date",
    "end_date",
    "date_from",
    "date_to",
    "revision",
    "compare_with",
)
BAD_QUERIES = {
    "superscript": dict.fromkeys(QUERY_PARAMETERS, SUPERSCRIPT),
    "overflow and control characters": {
        **dict.fromkeys(QUERY_PARAMETERS, OVERFLOW),
        "q": "\x00\x1b<script>",
        "ordering": "-__bogus__",
        "timestamp_from": "99999-99-99",
        "start_date": "2020-13-45",
        "next": "javascript:alert(1)",
    },
}
# A form body: every field the admin's forms read, each malformed.
BAD_FORM = {
    **dict.fromkeys(QUERY_PARAMETERS, SUPERSCRIPT),
    "title": "\x00",
    "slug": "../..",
    "body": "[{",
    "workflow-action-extra-data": "{not json",
    "action-publish": "1",
    "action-submit": "1",
    "workflow-action-name": "bogus",
    "comment": "\x00",
    "new_parent_page": OVERFLOW,
    "instance_pk": OVERFLOW,
    "parent": OVERFLOW,
    "revision": SUPERSCRIPT,
    "restriction_type": "bogus",
    "password": "",
    "groups": OVERFLOW,
    "collection": OVERFLOW,
    "file": "not a file",
}
BAD_JSON = "{" * 5000 + '"a": [1, "' + "\x00" * 10


# Stored content a refused request must leave as it was (not logs, sessions or editing state).
def stored_models() -> list[type[models.Model]]:
    return [
        Page,
        Revision,
        Comment,
        WorkflowState,
        TaskState,
        Workflow,
        Task,
        Collection,
        Redirect,
        Site,
        PageViewRestriction,
        GroupPagePermission,
        Group,
        get_image_model(),
        get_document_model(),
        *get_snippet_models(),
    ]


def stored_fingerprint() -> str:
    digest = hashlib.sha256()
    for model in stored_models():
        rows = model._default_manager.order_by("pk").values_list()
        digest.update(repr((model._meta.label, list(rows))).encode())
    return digest.hexdigest()


# Wagtail's "failwhale" page raises on purpose, so an admin can see how a 500 is reported.
NOT_WALKED = {"admin/failwhale/"}


@dataclass(frozen=True)
class AdminRoute:
    route: str  # the pattern, prefixes included, e.g. "admin/pages/<int:page_id>/edit/"
    pattern: URLPattern
    model: type[models.Model] | None


def admin_routes() -> Iterator[AdminRoute]:
    def walk(patterns: list, prefix: str) -> Iterator[tuple[str, URLPattern]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            else:
                yield prefix + str(entry.pattern), entry

    for route, pattern in walk(get_resolver().url_patterns, ""):
        if route.lstrip("^").startswith("admin/") and route not in NOT_WALKED:
            yield AdminRoute(route, pattern, view_model(pattern.callback))


def view_model(callback: Any) -> type[models.Model] | None:
    """The model a view is about: a Wagtail viewset's view or a wagtail-modeladmin method."""
    model = (getattr(callback, "view_initkwargs", None) or {}).get("model")
    model = model or getattr(getattr(callback, "view_class", None), "model", None)
    model = model or getattr(getattr(callback, "__self__", None), "model", None)
    return model if isinstance(model, type) and issubclass(model, models.Model) else None


PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


def fill(route: str, values: dict[str, str]) -> str:
    path = PARAMETER.sub(lambda m: values[m["name"] or m["group"]], route)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def parameter_names(route: str) -> list[str]:
    return [m["name"] or m["group"] for m in PARAMETER.finditer(route)]


@pytest.fixture
def world(demo_content, django_user_model) -> dict[str, Any]:
    """The demo site, an editor who also reviews pages and moderates comments (so every
    workflow and moderation view is in reach), a page in review, and one of everything."""
    editor = django_user_model.objects.create_user("walker", "walker@example.org", "pw")
    editor.groups.add(*Group.objects.filter(name__in=["Editors", "Medical reviewers"]))
    editor.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="comments", codename__endswith="comment")
    )
    article = ArticlePage.objects.live().first()
    article.save_revision(user=editor)
    workflow_state = article.get_workflow().start(article, editor)
    comment = Comment.objects.create(
        page=article,
        author_name="Reader",
        author_email="reader@example.org",
        body="A question.",
        status=Comment.Status.PENDING,
    )
    image = get_image_model().objects.create(title="Walked", file=get_test_image_file())
    document = get_document_model().objects.create(
        title="Walked", file=ContentFile(b"%PDF-1.4 walked", name="walked.pdf")
    )
    redirect = Redirect.objects.create(old_path="/walked-old", redirect_link="/")
    snippet = next(
        (model.objects.first() for model in get_snippet_models() if model.objects.exists()), None
    )
    return {
        "editor": editor,
        "superuser": django_user_model.objects.create_superuser(
            "walking-admin", "walking-admin@example.org", "pw"
        ),
        "page": article,
        "revision": article.latest_revision,
        "workflow_state": workflow_state,
        "task_state": workflow_state.current_task_state,
        "comment": comment,
        "image": image,
        "document": document,
        "redirect": redirect,
        "snippet": snippet,
        "collection": Collection.get_first_root_node(),
    }


def real_values(world: dict[str, Any], model: type[models.Model] | None) -> dict[str, str]:
    """A real value for each path parameter name the admin uses."""
    page = world["page"]
    snippet = world["snippet"]
    named_model = model or type(snippet)
    instance = model._default_manager.first() if model is not None else None
    values = {
        "page_id": page.pk,
        "parent_page_id": page.get_parent().pk,
        "page_to_move_id": page.pk,
        "destination_id": page.get_parent().pk,
        "page_pk": page.pk,
        "object_id": page.pk,
        "revision_id": world["revision"].pk,
        "revision_id_a": "earliest",
        "revision_id_b": world["revision"].pk,
        "image_id": world["image"].pk,
        "document_id": world["document"].pk,
        "doc_id": world["document"].pk,
        "collection_id": world["collection"].pk,
        "redirect_id": world["redirect"].pk,
        "workflow_state_id": world["workflow_state"].pk,
        "task_state_id": world["task_state"].pk,
        "task_id": world["task_state"].task_id,
        "workflow_pk": world["workflow_state"].workflow_id,
        "instance_pk": world["comment"].pk,
        "uploaded_file_id": MISSING_ID,
        "session_id": MISSING_ID,
        "pk": instance.pk if instance is not None else page.pk,
        "app_label": named_model._meta.app_label,
        "app_name": named_model._meta.app_label,
        "content_type_app_name": named_model._meta.app_label,
        "model_name": named_model._meta.model_name,
        "content_type_model_name": named_model._meta.model_name,
        "action_name": "approve",
        "action": "delete",
        "filter_spec": "fill-80x80",
        "uidb64": "MQ",
        "token": "set-password",
    }
    return {name: str(value) for name, value in values.items()}


def variants(route: AdminRoute, world: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(kind, url): the route with real values, then with ids that name nothing or cannot."""
    names = parameter_names(route.route)
    yield "real", fill(route.route, real_values(world, route.model))
    if names:
        yield "missing", fill(route.route, dict.fromkeys(names, MISSING_ID))
        yield "overflow", fill(route.route, dict.fromkeys(names, OVERFLOW))
        if not re.search(r"<int:", route.route):  # an int converter refuses it (404) itself
            yield "superscript", fill(route.route, dict.fromkeys(names, SUPERSCRIPT))
            yield "float", fill(route.route, dict.fromkeys(names, FLOAT))


IMPOSSIBLE = frozenset({"overflow", "superscript", "float"})


def names_an_id(route: str) -> bool:
    """Whether a path parameter of `route` is a row's id (an int converter or an id name)."""
    return any(
        m["converter"] == "int" or (m["name"] or m["group"]).endswith(("pk", "_id"))
        for m in PARAMETER.finditer(route)
    )


def walked_requests(kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(method, client keyword arguments) for the bad requests sent to one URL."""
    if kind != "real":  # the view looks its object up first: a bare read, a read, a write
        yield "get", {}
        yield "get", {"data": BAD_QUERIES["superscript"]}
        yield "post", {"data": BAD_FORM}
        return
    for query in BAD_QUERIES.values():
        yield "get", {"data": query}
    yield "post", {"data": BAD_FORM}
    yield "post", {"data": BAD_JSON, "content_type": "application/json"}


def resolves_to(url: str, pattern: URLPattern) -> bool:
    try:
        return resolve(url).func == pattern.callback
    except Resolver404:
        return False


@pytest.mark.parametrize("role", ["superuser", "editor"])
def test_no_admin_url_answers_500_or_changes_anything_on_bad_input(world, role) -> None:
    client = Client()
    client.force_login(world[role])
    before = stored_fingerprint()
    failures: list[str] = []
    walked: set[str] = set()
    for route in admin_routes():
        for kind, url in variants(route, world):
            if kind == "real" and not resolves_to(url, route.pattern):
                continue  # a real value the converter refuses (e.g. a slug): nothing to walk
            walked.add(route.route)
            # An impossible id that the route still matches must stop there, as nothing found.
            must_be_404 = kind in IMPOSSIBLE and names_an_id(route.route)
            must_be_404 = must_be_404 and resolves_to(url, route.pattern)
            for method, kwargs in walked_requests(kind):
                label = f"{method.upper()} {url} ({kind})"
                with transaction.atomic():
                    try:
                        response = getattr(client, method)(url, **kwargs)
                    except Exception as exc:  # the test client re-raises a view's exception
                        failures.append(f"{label}: {type(exc).__name__}: {exc}"[:300])
                        transaction.set_rollback(True)
                        continue
                    if response.status_code >= 500:
                        failures.append(f"{label}: {response.status_code}")
                    elif must_be_404 and response.status_code != 404:
                        failures.append(f"{label}: {response.status_code}, not 404")
                    elif response.status_code >= 400 and stored_fingerprint() != before:
                        failures.append(f"{label}: {response.status_code} but stored data changed")
                    transaction.set_rollback(True)
    assert not failures, "\n".join(failures)
    # The walk reached the views that matter (so it cannot pass by walking nothing).
    for expected in (
        "admin/pages/<int:page_id>/edit/",
        "admin/pages/<int:page_id>/copy/",
        "admin/pages/<int:page_to_move_id>/move/",
        "admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/",
        "admin/^comments/comment/edit/(?P<instance_pk>[-\\w]+)/$",
        "admin/choose-page/",
        "admin/reports/site-history/",
    ):
        assert expected in walked, expected
