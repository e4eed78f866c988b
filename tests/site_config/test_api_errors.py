"""Bad input to the APIs gets a 4xx JSON error with a message, never a 500, and stores nothing;
a real 500 is JSON too and is logged with its traceback."""

import io
import json
import logging

from django.contrib.auth.models import Group
from django.test import Client

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import APIToken, Page

import pytest
from PIL import Image

from comments.models import Comment
from immunotherapy.api.pages import PublicPagesAPIViewSet
from immunotherapy.models import GlossaryTerm
from site_config.api_errors import json_depth

pytestmark = [pytest.mark.django_db, pytest.mark.backends]

HUGE = "36893488147419103232"
NESTED_1000 = '{"a": ' + "[" * 999 + "]" * 999 + "}"


def token_headers(user) -> dict[str, str]:
    _token, plaintext = APIToken.create_token(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


@pytest.fixture
def admin_headers(admin_user) -> dict[str, str]:
    return token_headers(admin_user)


@pytest.fixture
def editor_headers(django_user_model) -> dict[str, str]:
    editor = django_user_model.objects.create_user("ed", "ed@example.org", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    return token_headers(editor)


def assert_json_error(response, status: int) -> dict:
    """The answer is `status` with a JSON body that carries a message."""
    assert response.status_code == status, response.content
    assert "json" in response["Content-Type"]
    body = response.json()
    assert body.get("message") or body.get("detail"), body
    return body


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/",
        "/api/v2/images/",
        "/api/v2/documents/",
        "/api/v2/comments/?page=1",
        "/api/v3/pages/",
        "/api/v3/images/",
        "/api/v3/documents/",
        "/api/v3/redirects/",
        "/api/v3/sites/",
        "/api/v3/snippets/immunotherapy.GlossaryTerm/",
    ],
)
@pytest.mark.parametrize("query", [f"offset={HUGE}", "offset=²", "limit=¹", f"limit={HUGE}"])
def test_bad_offsets_and_limits_are_400_everywhere(client, admin_headers, url, query) -> None:
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}{query}", **admin_headers)
    body = assert_json_error(response, 400)
    name = query.split("=")[0]
    assert f"{name} must be a whole number" in (body.get("message") or body["detail"])


def test_v3_errors_are_problem_json(client, admin_headers) -> None:
    response = client.get(f"/api/v3/pages/?offset={HUGE}", **admin_headers)
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400


@pytest.mark.parametrize("url", ["/api/v2/comments/", "/api/v3/pages/"])
@pytest.mark.parametrize("body", [NESTED_1000, '{"a":' * 1000 + "1" + "}" * 1000])
def test_json_nested_1000_deep_is_400_before_parsing(client, admin_headers, url, body) -> None:
    pages, comments = Page.objects.count(), Comment.objects.count()
    response = client.post(url, body, content_type="application/json", **admin_headers)
    assert "levels deep" in str(assert_json_error(response, 400))
    assert (Page.objects.count(), Comment.objects.count()) == (pages, comments)


@pytest.mark.parametrize("body", ['"hello"', "[1, 2]", "3", "null", "true"])
@pytest.mark.parametrize("url", ["/api/v2/comments/", "/api/v3/pages/"])
def test_json_body_that_is_not_an_object_is_400(client, admin_headers, url, body) -> None:
    response = client.post(url, body, content_type="application/json", **admin_headers)
    assert "must be a JSON object" in str(assert_json_error(response, 400))


def test_v3_patch_with_a_string_body_is_400(client, admin_headers, home_page) -> None:
    response = client.patch(
        f"/api/v3/pages/{home_page.pk}/", '"x"', content_type="application/json", **admin_headers
    )
    assert_json_error(response, 400)


def test_depth_is_measured_on_structure_not_on_strings() -> None:
    assert json_depth(b'{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert json_depth(b'{"a": "\\"[[[[", "b": "\\\\"}') == 1
    assert json_depth(b"3") == 0
    assert json_depth(NESTED_1000.encode()) == 1000


@pytest.mark.parametrize("url", ["/api/v2/comments/", "/api/v3/pages/"])
def test_a_body_over_the_upload_limit_is_a_json_400(client, admin_headers, settings, url) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"body": "x" * 2000})
    response = client.post(url, body, content_type="application/json", **admin_headers)
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in str(assert_json_error(response, 400))


def test_too_many_form_fields_in_an_upload_is_a_json_400(client, editor_headers, settings) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    fields = {f"field{n}": "1" for n in range(20)}
    response = client.post("/api/v3/images/", fields, **editor_headers)
    assert_json_error(response, 400)
    assert not get_image_model().objects.exists()


def gif(name: str = "pixel.gif") -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(data, "GIF")
    data.seek(0)
    data.name = name
    return data


def test_an_editor_uploads_an_image_through_v3(client, editor_headers) -> None:
    response = client.post("/api/v3/images/", {"file": gif(), "title": "Pixel"}, **editor_headers)
    assert response.status_code == 201, response.content
    assert get_image_model().objects.get().title == "Pixel"


def test_a_refused_v3_document_upload_is_a_4xx_with_a_message(client, editor_headers) -> None:
    # Multipart: the error handler must not read the body the upload consumed.
    response = client.post("/api/v3/documents/", {"file": gif(), "title": ""}, **editor_headers)
    assert 400 <= response.status_code < 500
    assert response.json()["errors"]
    assert not get_document_model().objects.exists()


def test_an_editor_uploads_a_document_through_v3(client, editor_headers) -> None:
    data = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    data.name = "leaflet.pdf"
    response = client.post(
        "/api/v3/documents/", {"file": data, "title": "Leaflet"}, **editor_headers
    )
    assert response.status_code == 201, response.content


def post_term(client, headers, term: str, definition: str = "A word."):
    return client.post(
        "/api/v3/snippets/immunotherapy.GlossaryTerm/",
        json.dumps({"term": term, "definition": definition}),
        content_type="application/json",
        **headers,
    )


@pytest.mark.parametrize(("term", "definition"), [("", "A word."), ("Antigen", "")])
def test_a_blank_required_snippet_value_is_refused_every_time(
    client, admin_headers, term, definition
) -> None:
    for _attempt in range(2):
        response = post_term(client, admin_headers, term, definition)
        body = assert_json_error(response, 400)
        assert body["errors"][0]["msg"] == "This field is required."
    assert not GlossaryTerm.objects.exists()


def test_a_taken_unique_value_is_refused(client, admin_headers) -> None:
    assert post_term(client, admin_headers, "Antigen").status_code == 201
    body = assert_json_error(post_term(client, admin_headers, "Antigen"), 400)
    assert "already exists" in body["errors"][0]["msg"]
    assert GlossaryTerm.objects.count() == 1


def test_a_uniqueness_race_is_409_not_500(client, admin_headers, monkeypatch) -> None:
    # Two requests at once both pass the form's uniqueness check; the database refuses one.
    assert post_term(client, admin_headers, "Antigen").status_code == 201
    monkeypatch.setattr(GlossaryTerm, "validate_unique", lambda self, exclude=None: None)
    body = assert_json_error(post_term(client, admin_headers, "Antigen"), 409)
    assert "unique" in body["detail"]
    assert GlossaryTerm.objects.count() == 1


def test_a_v3_server_error_is_problem_json_and_logged_with_traceback(
    admin_headers, monkeypatch, caplog
) -> None:
    def broken(token: str) -> list[str]:
        raise RuntimeError("token store unreachable")

    monkeypatch.setattr(APIToken, "candidate_key_hashes", broken)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v3/pages/", **admin_headers)
    assert_json_error(response, 500)
    assert "token store" not in response.content.decode()  # no internals in production
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info and record.exc_info[0] is RuntimeError


def test_a_v2_server_error_is_json_and_logged_with_traceback(monkeypatch, caplog) -> None:
    def broken(self, request):
        raise RuntimeError("cache unreachable")

    monkeypatch.setattr(PublicPagesAPIViewSet, "listing_view", broken)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v2/pages/")
    assert_json_error(response, 500)
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info and record.exc_info[0] is RuntimeError


def test_html_pages_keep_their_html_error_pages(client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
