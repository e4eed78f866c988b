"""The comments endpoint of API v2: approved threads out, anonymous JSON posts in."""

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from comments import services
from comments.models import Comment
from immunotherapy.api.http_cache import clear_process_cache
from tests.comments.test_comment_tags import build_threads
from tests.helpers import FLOOD_MESSAGE

pytestmark = [pytest.mark.django_db, pytest.mark.backends]

URL = "/api/v2/comments/"


def post_json(client, data, **extra):
    return client.post(URL, json.dumps(data), content_type="application/json", **extra)


@pytest.fixture
def payload(article) -> dict:
    return {
        "page": article.pk,
        "author_name": "Alex Reader",
        "author_email": "alex@example.org",
        "author_url": "https://alex.example",
        "body": "Does this apply to <b>stage 4</b>?",
    }


def test_list_gives_approved_comments_in_thread_order(client, article, make_comment) -> None:
    parent = make_comment(body="Top\nline", author_url="https://jo.example")
    second = make_comment(body="Second top")
    reply = make_comment(parent=parent, body="Reply <b>bold</b>")
    make_comment(status="pending", body="held")
    data = client.get(URL, {"page": article.pk}).json()
    assert data["meta"]["total_count"] == 3
    assert [item["id"] for item in data["items"]] == [parent.pk, reply.pk, second.pk]
    first = data["items"][0]
    assert set(first) == {
        "id",
        "parent",
        "depth",
        "author_name",
        "author_url",
        "official",
        "created_at",
        "body_html",
    }
    assert first["official"] is False
    assert first["body_html"] == "<p>Top<br>\nline</p>"
    assert first["author_url"] == "https://jo.example"
    assert first["parent"] is None
    assert data["items"][1]["parent"] == parent.pk
    assert data["items"][1]["depth"] == 2
    assert data["items"][1]["body_html"] == "<p>Reply <b>bold</b></p>"


def test_list_never_exposes_private_fields(client, article, make_comment) -> None:
    comment = make_comment(
        author_name="Sam",
        author_email="secret@example.org",
        ip_address="203.0.113.77",
        user_agent="SecretUA",
    )
    response = client.get(URL, {"page": article.pk})
    [item] = response.json()["items"]
    # The comment is listed, with its public fields and nothing else.
    assert item["id"] == comment.pk
    assert item["author_name"] == "Sam"
    public = {
        "id",
        "parent",
        "depth",
        "author_name",
        "author_url",
        "official",
        "created_at",
        "body_html",
    }
    assert set(item) == public
    text = response.content.decode()
    for private in ("secret@example.org", "203.0.113.77", "SecretUA", "email", "ip_address"):
        assert private not in text


def test_list_is_paginated(client, article, make_comment) -> None:
    ids = [make_comment().pk for _ in range(5)]
    data = client.get(URL, {"page": article.pk, "offset": 1, "limit": 2}).json()
    assert data["meta"]["total_count"] == 5
    assert [item["id"] for item in data["items"]] == ids[1:3]


@pytest.mark.parametrize(
    "params",
    [{}, {"page": "abc"}, {"page": "-1"}, {"offset": "x"}, {"limit": "1000"}, {"limit": "-2"}],
)
def test_list_bad_parameters_are_400(client, article, params) -> None:
    query = {"page": article.pk, **params} if "page" not in params and params else params
    response = client.get(URL, query)
    assert response.status_code == 400
    assert response.json()["message"]


def test_list_unknown_or_private_or_draft_page_is_404(client, article) -> None:
    assert client.get(URL, {"page": 999_999}).status_code == 404
    PageViewRestriction.objects.create(page=article, restriction_type="login")
    assert client.get(URL, {"page": article.pk}).status_code == 404
    PageViewRestriction.objects.all().delete()
    article.unpublish()
    assert client.get(URL, {"page": article.pk}).status_code == 404


def test_list_costs_the_same_few_queries_for_5_or_500_comments(client, article) -> None:
    build_threads(article, roots=1)
    client.get(URL, {"page": article.pk})
    clear_process_cache()  # measure the database work, not the API response cache
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"page": article.pk})
    build_threads(article, roots=99)
    clear_process_cache()
    with CaptureQueriesContext(connection) as many:
        data = client.get(URL, {"page": article.pk, "limit": 100}).json()
    assert data["meta"]["total_count"] == 500
    assert len(many) == len(few) <= 5


def test_post_creates_a_held_comment(article, payload) -> None:
    client = Client(enforce_csrf_checks=True)  # no token, no session: still accepted
    response = post_json(client, payload, HTTP_USER_AGENT="FrontEnd/2", REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 201
    comment = Comment.objects.get()
    assert response.json() == {"id": comment.pk, "status": "pending"}
    assert comment.body == "Does this apply to <b>stage 4</b>?"
    assert comment.user_agent == "FrontEnd/2"
    assert comment.ip_address == "198.51.100.9"
    assert comment.author_url == "https://alex.example"


def test_post_ignores_a_signed_in_session(client, article, payload, moderator) -> None:
    client.force_login(moderator)
    assert post_json(client, payload).status_code == 201
    assert Comment.objects.get().user is None


def test_post_reply(client, article, make_comment, payload) -> None:
    parent = make_comment()
    response = post_json(client, {**payload, "parent": parent.pk})
    assert response.status_code == 201
    assert Comment.objects.get(pk=response.json()["id"]).parent == parent


def test_post_is_cleaned_before_storing(client, article, payload) -> None:
    response = post_json(
        client, {**payload, "body": "<img src=x onerror=alert(1)>Hi<script>x</script>"}
    )
    assert Comment.objects.get(pk=response.json()["id"]).body == "Hi"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("author_name", ""),
        ("author_name", "n" * 246),
        ("author_email", "nope"),
        ("author_email", "e" * 92 + "@example.org"),
        ("author_url", "javascript:alert(1)"),
        ("author_url", "data:text/html,x"),
        ("author_url", "https://example.org/" + "p" * 181),
        ("body", ""),
        ("body", "   "),
        ("body", "b" * 65_526),
        ("body", "<script>only script</script>"),
        ("page", "abc"),
        ("parent", "x"),
        ("parent", 999_999),
    ],
)
def test_post_bad_field_is_400_keyed_by_field(client, article, payload, field, value) -> None:
    response = post_json(client, {**payload, field: value})
    assert response.status_code == 400
    assert field in response.json()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("page", "This field is required."),
        ("author_name", "Please type your name."),
        ("author_email", "Please type your email address."),
        ("body", "Please type your comment."),
    ],
)
def test_post_missing_required_field_is_400(client, article, payload, field, message) -> None:
    del payload[field]
    response = post_json(client, payload)
    assert response.status_code == 400
    assert response.json()[field] == [message]


def test_post_reply_to_held_comment_is_400(client, article, make_comment, payload) -> None:
    held = make_comment(status="pending")
    response = post_json(client, {**payload, "parent": held.pk})
    assert response.status_code == 400
    assert response.json()["parent"] == ["You can only reply to a published comment."]


def test_post_malformed_json_is_400_and_form_encoding_is_415(client, article, payload) -> None:
    assert client.post(URL, "{not json", content_type="application/json").status_code == 400
    assert client.post(URL, payload).status_code == 415


def test_post_to_closed_page_is_403(client, article, payload) -> None:
    article.comments_open = False
    article.save_revision().publish()
    response = post_json(client, payload)
    assert response.status_code == 403
    assert response.json() == {"message": "Comments are closed."}


def test_post_to_page_type_without_comments_is_403(client, article, payload) -> None:
    assert post_json(client, {**payload, "page": article.get_parent().pk}).status_code == 403


def test_post_to_unknown_private_or_draft_page_is_404(client, article, payload) -> None:
    assert post_json(client, {**payload, "page": 999_999}).status_code == 404
    PageViewRestriction.objects.create(page=article, restriction_type="password", password="x")
    assert post_json(client, payload).status_code == 404
    PageViewRestriction.objects.all().delete()
    article.unpublish()
    assert post_json(client, payload).status_code == 404


def test_post_flood_is_429(client, article, payload) -> None:
    assert post_json(client, payload).status_code == 201
    response = post_json(client, {**payload, "body": "again"})
    assert response.status_code == 429
    assert FLOOD_MESSAGE.fullmatch(response.json()["message"])


def test_post_duplicate_is_409(client, article, payload, settings) -> None:
    settings.COMMENTS_FLOOD_SECONDS = 0
    post_json(client, payload)
    response = post_json(client, payload)
    assert response.status_code == 409
    assert "Duplicate comment detected" in response.json()["message"]


def test_post_honeypot_is_spam_and_never_listed(client, article, payload) -> None:
    response = post_json(client, {**payload, "extra_comment": "call me"})
    assert response.status_code == 201
    # The bot is told what a held comment is told: nothing gives its filing away.
    assert response.json() == {"id": response.json()["id"], "status": "pending"}
    assert Comment.objects.get().status == Comment.Status.SPAM
    assert client.get(URL, {"page": article.pk}).json()["meta"]["total_count"] == 0


def test_approved_post_appears_in_the_listing(client, article, make_comment, payload) -> None:
    make_comment(author_name="Alex Reader", author_email="alex@example.org")
    response = post_json(client, payload)
    assert response.json()["status"] == "approved"
    ids = [item["id"] for item in client.get(URL, {"page": article.pk}).json()["items"]]
    assert response.json()["id"] in ids


def test_moderation_reaches_the_cached_api_at_once(
    client, article, make_comment, moderator
) -> None:
    held = make_comment(status=Comment.Status.PENDING, body="Held until a moderator acts.")
    single = make_comment(status=Comment.Status.PENDING, body="Approved on its own.")

    def bodies() -> list[str]:
        return [c["body_html"] for c in client.get(URL, {"page": article.pk}).json()["items"]]

    assert not any("Held until" in body for body in bodies())
    assert client.get(URL, {"page": article.pk})["X-Cache"] == "HIT"
    services.comment_approve(comment=single, moderator=moderator)
    assert any("Approved on its own" in body for body in bodies())
    services.comment_bulk_set_status(
        comments=Comment.objects.filter(pk=held.pk),
        status=Comment.Status.APPROVED,
        moderator=moderator,
    )
    assert any("Held until" in body for body in bodies())
    services.commenter_erase(email=held.author_email, remove_text=True)
    assert not any("Held until" in body for body in bodies())
