"""Every API route answers an id that no row can have with a JSON 4xx, never a 500.

The routes are read from the URLconf, so an endpoint added later is walked too. Each id in a
route's path is given values that are not storable integers (a float, a superscript digit, a
word, a number past the 64-bit range) and each listing the id query parameters with such values;
every method is tried, as an admin and as an editor, and nothing stored may change.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import APIToken, Page, Revision, Site

import pytest

from immunotherapy.models.snippets import Agent

pytestmark = [pytest.mark.django_db, pytest.mark.backends]

HUGE = str(2**74)
# Values a client may send for an id that no integer column can hold (or no row has).
IMPOSSIBLE_IDS = ("1.5", "\u00b2", "x", HUGE)
NEGATIVE = "-1"
EMPTY = ""
# Query parameters the APIs read as ids (page filters, find).
ID_QUERY_PARAMETERS = ("id", "child_of", "descendant_of", "ancestor_of", "translation_of")
PAGE_LISTINGS = ("/api/v2/pages/", "/api/v3/pages/")
METHODS = ("get", "post", "put", "patch", "delete")

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def api_routes() -> list[str]:
    def walk(patterns: list, prefix: str) -> Iterator[str]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    routes = {route.replace("^", "") for route in walk(get_resolver().url_patterns, "")}
    return sorted(route for route in routes if route.startswith("api/"))


def is_id(name: str) -> bool:
    return name in ("pk", "id") or name.endswith(("_id", "_pk"))


@pytest.fixture
def world(home_page, admin_user, django_user_model) -> dict[str, Any]:
    editor = django_user_model.objects.create_user("walker", "walker@example.org", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    revision = home_page.save_revision(user=admin_user)
    agent = Agent.objects.create(generic_name="walkamab", target="PD-1", drug_class="x")
    image = get_image_model().objects.create(title="Walked", file=get_test_image_file())
    return {
        "users": {"admin": admin_user, "editor": editor},
        "values": {
            "page_id": home_page.pk,
            "pk": home_page.pk,
            "revision_id": revision.pk,
            "site_id": Site.objects.get().pk,
            "image_id": image.pk,
            "document_id": get_document_model().objects.create(title="Walked").pk,
            "redirect_id": Redirect.objects.create(old_path="/walked", redirect_link="/").pk,
            "type": "immunotherapy.Agent",
            "type_name": "immunotherapy.Agent",
            "snippet_pk": agent.pk,
        },
    }


def token_client(world: dict[str, Any], role: str) -> Client:
    """A client that sends an API token of the world's `role` user with every request."""
    _token, plaintext = APIToken.create_token(user=world["users"][role], name="walk")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")


def stored() -> tuple[int, ...]:
    models = (Page, Revision, Site, Redirect, Agent, get_image_model(), get_document_model())
    return tuple(model._default_manager.count() for model in models)


def fill(route: str, values: dict[str, Any], bad: str | None) -> str:
    def value(match: re.Match) -> str:
        name = match["name"]
        if bad is not None and is_id(name):
            return bad
        if name == "pk" and "snippets/" in route:
            return str(values["snippet_pk"])
        return str(values[name])

    return "/" + PARAMETER.sub(value, route)


def json_4xx_problem(response, label: str, status: int | None = None) -> str | None:
    """What is wrong with this answer, or None when it is the expected JSON 4xx."""
    wanted = f"{status}" if status is not None else "a 4xx"
    if not 400 <= response.status_code < 500 or status not in (None, response.status_code):
        return f"{label}: {response.status_code}, not {wanted}"
    v3 = label.split()[1].startswith("/api/v3/")
    content_type = response["Content-Type"]
    if content_type != "application/problem+json" if v3 else "json" not in content_type:
        return f"{label}: {content_type}"
    body = response.json()
    if not (body.get("message") or body.get("detail")):
        return f"{label}: no message in {body}"
    return None


def assert_json_4xx(response, label: str, status: int | None = None) -> None:
    problem = json_4xx_problem(response, label, status)
    assert problem is None, problem


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_impossible_ids_in_api_paths_are_404_json(world, role) -> None:
    client = token_client(world, role)
    before = stored()
    failures: list[str | None] = []
    walked = set()
    for route in api_routes():
        if not any(is_id(m["name"]) for m in PARAMETER.finditer(route)):
            continue
        walked.add(route)
        for bad in IMPOSSIBLE_IDS:
            url = fill(route, world["values"], bad)
            for method in METHODS:
                response = client.generic(method.upper(), url, "{}", "application/json")
                failures.append(json_4xx_problem(response, f"{method.upper()} {url}", 404))
    assert not list(filter(None, failures)), "\n".join(filter(None, failures))
    assert stored() == before
    for expected in (
        "api/v2/pages/<int:pk>/",
        "api/v3/pages/<page_id>/",
        "api/v3/snippets/<type>/<pk>/",
        "api/v3/pages/<page_id>/revisions/<revision_id>/",
    ):
        assert expected in walked, expected


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_impossible_id_query_parameters_are_400_json(world, role) -> None:
    client = token_client(world, role)
    before = stored()
    failures: list[str | None] = []
    listings = [r for r in api_routes() if not PARAMETER.search(r) or r.endswith("<type>/")]
    assert "api/v2/pages/" in listings and "api/v3/pages/" in listings
    for route in listings:
        base = fill(route, world["values"], None)
        for name in ID_QUERY_PARAMETERS:
            for bad in (*IMPOSSIBLE_IDS, NEGATIVE, EMPTY):
                response = client.get(base, {name: bad})
                label = f"GET {base}?{name}={bad}"
                if response.status_code >= 400:
                    failures.append(json_4xx_problem(response, label))
    assert not list(filter(None, failures)), "\n".join(filter(None, failures))
    assert stored() == before


@pytest.mark.parametrize("bad", [*IMPOSSIBLE_IDS, NEGATIVE, EMPTY])
@pytest.mark.parametrize(
    ("url", "name"),
    [
        *((url, name) for url in PAGE_LISTINGS for name in ("id", "child_of", "descendant_of")),
        ("/api/v2/pages/find/", "id"),
        ("/api/v3/pages/find/", "id"),
    ],
)
def test_page_id_filters_that_cannot_be_ids_are_400_naming_them(client, home_page, url, name, bad):
    response = client.get(url, {name: bad})
    assert_json_4xx(response, f"GET {url}?{name}={bad}", 400)
    body = response.json()
    assert name in (body.get("message") or body["detail"])


def test_real_ids_still_answer(client, home_page) -> None:
    assert client.get(f"/api/v2/pages/{home_page.pk}/").status_code == 200
    assert client.get(f"/api/v3/pages/{home_page.pk}/").status_code == 200
    listed = client.get("/api/v2/pages/", {"id": home_page.pk})
    assert [item["id"] for item in listed.json()["items"]] == [home_page.pk]
    assert client.get("/api/v2/pages/", {"child_of": home_page.pk}).json()["items"] == []
    assert client.get("/api/v3/pages/", {"child_of": "root"}).status_code == 200
    assert client.get("/api/v2/pages/", {"id": HUGE[:18]}).json()["items"] == []


def test_v3_patch_with_a_float_or_huge_page_id_changes_nothing(world, home_page) -> None:
    client = token_client(world, "admin")
    for page_id in ("1.5", f"{home_page.pk}.0", HUGE):
        response = client.patch(
            f"/api/v3/pages/{page_id}/",
            json.dumps({"title": "Changed"}),
            content_type="application/json",
        )
        assert_json_4xx(response, f"PATCH /api/v3/pages/{page_id}/", 404)
    assert Page.objects.get(pk=home_page.pk).title != "Changed"
