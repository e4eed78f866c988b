"""Schemathesis fuzzes every API v3 operation, in process, as an admin and as an editor.

Fixed seed (`derandomize`) and a bounded number of examples per operation keep the run
deterministic and a few minutes long. Checks on every answer of every operation:
- `not_a_server_error`: never a 5xx;
- `status_code_conformance`: only a status the document lists;
- `response_schema_conformance`: the body matches what the document lists for that status.

Wagtail's v3 document (Wagtail 8.0) lists only each operation's success answer. Its errors are
RFC 7807 problem+json bodies (`wagtail.api.v3.errors.ProblemDetail`) that it lists nowhere, so
the document is completed here with that one shape for every 4xx of every operation; the error
bodies are then checked like any other answer. Gaps left in Wagtail's document are listed in
SCHEMA_GAPS, each excluding one check for one operation.
"""

import copy
import json
from collections.abc import Iterator

from django.contrib.auth.models import Group
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client

from wagtail.api.v3.errors import ProblemDetail
from wagtail.models import APIToken

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from immunotherapy.models.snippets import Agent

pytestmark = pytest.mark.backends

EXAMPLES_PER_OPERATION = 4
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

# Where Wagtail's document is still wrong after the errors are added: (method, path) -> the
# checks it cannot pass, and why. Each excludes that check for that operation only.
SCHEMA_GAPS: dict[tuple[str, str], dict] = {
    ("GET", "/api/v3/pages/find/"): {
        status_code_conformance: "answers 302 to the page's detail URL; the document lists 200",
    },
    ("GET", "/api/v3/redirects/find/"): {
        status_code_conformance: "answers 302 to the redirect's detail URL; the document lists 200",
    },
}

# Operations no request can address in this project: Wagtail documents their `type` as the
# empty string when no snippet model has revisions, drafts or translations (none here), so no
# example can be generated. `test_snippet_operations_no_model_supports_answer_4xx` calls them.
UNADDRESSABLE = {
    "snippets_revisions_list": ("GET", "/api/v3/snippets/{type}/{pk}/revisions/"),
    "snippets_revisions_detail": ("GET", "/api/v3/snippets/{type}/{pk}/revisions/{revision_id}/"),
    "snippets_actions_publish": ("POST", "/api/v3/snippets/{type}/{pk}/actions/publish/"),
    "snippets_actions_unpublish": ("POST", "/api/v3/snippets/{type}/{pk}/actions/unpublish/"),
    "snippets_actions_revert": ("POST", "/api/v3/snippets/{type}/{pk}/actions/revert/"),
    "snippets_actions_copy_for_translation": (
        "POST",
        "/api/v3/snippets/{type}/{pk}/actions/copy_for_translation/",
    ),
}


@pytest.fixture(autouse=True)
def keep_the_test_database_open() -> Iterator[None]:
    # As Django's test client does: the app must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def completed_document() -> dict:
    """The app's document, with Wagtail's problem+json error listed for every 4xx."""
    document = copy.deepcopy(Client().get("/api/v3/openapi.json").json())
    problem_schema = ProblemDetail.model_json_schema(ref_template="#/components/schemas/{model}")
    document.setdefault("components", {}).setdefault("schemas", {})["ProblemDetail"] = (
        problem_schema
    )
    problem = {
        "description": "A refused request (wagtail.api.v3.errors.problem_response)",
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}
        },
    }
    for path_item in document["paths"].values():
        for operation in path_item.values():
            operation["responses"].setdefault("4XX", problem)
    return document


# The document is read from the app once, at collection (it needs no database).
schema = schemathesis.openapi.from_dict(completed_document())
schema.app = get_wsgi_application()
schema.location = "/api/v3/openapi.json"
fuzzed = schema.exclude(operation_id=list(UNADDRESSABLE))


def token_for(user) -> str:
    return APIToken.create_token(user=user, name="fuzz")[1]


@pytest.fixture
def admin_bearer(home_page, admin_user) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(admin_user)}"}


@pytest.fixture
def editor_bearer(home_page, django_user_model) -> dict[str, str]:
    editor = django_user_model.objects.create_user("fuzz-editor", "e@example.org", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    return {"Authorization": f"Bearer {token_for(editor)}"}


def call_and_check(case, headers: dict[str, str]) -> None:
    gaps = SCHEMA_GAPS.get((case.operation.method.upper(), case.operation.path), {})
    checks = [check for check in CHECKS if check not in gaps]
    case.call_and_validate(headers=headers, checks=checks)


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@fuzzed.parametrize()
@FUZZ_SETTINGS
def test_fuzz_v3_as_an_admin(case, db, admin_bearer) -> None:
    call_and_check(case, admin_bearer)


@fuzzed.parametrize()
@FUZZ_SETTINGS
def test_fuzz_v3_as_an_editor(case, db, editor_bearer) -> None:
    call_and_check(case, editor_bearer)


@pytest.mark.parametrize(("method", "path"), sorted(UNADDRESSABLE.values()))
def test_snippet_operations_no_model_supports_answer_4xx(
    client, admin_bearer, method, path
) -> None:
    agent = Agent.objects.create(
        generic_name="fuzzamab", target="PD-1", drug_class="checkpoint inhibitor"
    )
    url = path.format(type="immunotherapy.Agent", pk=agent.pk, revision_id=1)
    response = client.generic(
        method,
        url,
        json.dumps({"revision_id": 1, "locale": "fr"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=admin_bearer["Authorization"],
    )
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == response.status_code
