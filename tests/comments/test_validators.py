"""What a reader types is checked by one set of rules: the form and the JSON API refuse the same
input with the same message, and store nothing."""

import json
from html import escape

import pytest

from comments.forms import CommentForm
from comments.models import Comment
from comments.validators import visible_text

API_URL = "/api/v2/comments/"
GOOD = {
    "author_name": "Alex Reader",
    "author_email": "alex@example.org",
    "author_url": "",
    "body": "Thank you,\n\tthis helped.",
}

REFUSED = [
    ("author_name", "Ana\x01Reader", "Remove the control characters"),
    ("author_name", "Ana\x1b[31mReader", "Remove the control characters"),
    ("author_name", "Ana\x7f", "Remove the control characters"),
    ("author_name", "An\x85a", "Remove the control characters"),
    ("author_name", "Ana\nReader", "Remove the control characters"),
    ("author_name", "\u200b\u200d\u2060", "Please type your name."),
    ("author_name", "\ufeff \u3164", "Please type your name."),
    ("body", "Hello\x00there", "Remove the control characters"),
    ("body", "Hello \x1b[2J", "Remove the control characters"),
    ("body", "\u200b\u200b\n\u2060", "Please type your comment."),
    ("body", "<b>\u200b</b>", "Please type your comment."),
    ("body", "b" * 65_526, "at most 65525 characters (it has 65526)"),
    ("author_url", 'https://example.org/"onmouseover="alert(1)', "without spaces or quotes"),
    ("author_url", "https://example.org/a b", "without spaces or quotes"),
    ("author_url", "https://example.org/<x>", "without spaces or quotes"),
    ("author_url", "javascript:alert(1)", "starting with http:// or https://"),
    ("author_email", "alex\x01@example.org", "Remove the control characters"),
]


def form_messages(field: str, value: str) -> list[str]:
    form = CommentForm({**GOOD, field: value})
    assert not form.is_valid()
    return form.errors[field]


@pytest.mark.parametrize(("field", "value", "message"), REFUSED)
def test_the_form_and_the_api_refuse_alike(client, article, field, value, message) -> None:
    form_errors = form_messages(field, value)
    assert any(message in error for error in form_errors), form_errors

    payload = {**GOOD, "page": article.pk, field: value}
    response = client.post(API_URL, json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    assert sorted(response.json()[field]) == sorted(form_errors)

    page = client.post(f"/comments/{article.pk}/post/", {**GOOD, field: value})
    assert page.status_code == 400
    assert escape(form_errors[0]) in page.content.decode()
    assert not Comment.objects.exists()


def test_newlines_and_tabs_stay_in_a_body(client, article) -> None:
    payload = {**GOOD, "page": article.pk}
    response = client.post(API_URL, json.dumps(payload), content_type="application/json")
    assert response.status_code == 201
    assert Comment.objects.get().body == "Thank you,\n\tthis helped."


def test_length_is_counted_on_what_the_reader_typed(client, article) -> None:
    body = "<" * 65_000  # stored escaped, four times longer
    payload = {**GOOD, "page": article.pk, "body": f"a{body}"}
    response = client.post(API_URL, json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Comment.objects.get().body.count("&lt;") == 65_000


def test_a_website_without_a_scheme_gets_https_in_both(client, article) -> None:
    form = CommentForm({**GOOD, "author_url": "example.org/me"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["author_url"] == "https://example.org/me"
    payload = {**GOOD, "page": article.pk, "author_url": "example.org/me"}
    response = client.post(API_URL, json.dumps(payload), content_type="application/json")
    assert response.status_code == 201
    assert Comment.objects.get().author_url == "https://example.org/me"


def test_visible_text_ignores_tags_and_invisible_characters() -> None:
    assert visible_text("<em>\u200bHi\u2060</em> ") == "Hi"
    assert visible_text("&lt;3") == "<3"
    assert visible_text("\u2800\ufe0f") == ""


def test_reply_links_and_parents_that_are_not_numbers_are_ignored_or_refused(
    client, article, make_comment
) -> None:
    make_comment()  # an approved comment, so the page looks for the reply target among them
    for value in ("²", "36893488147419103232", "-1", "1e3"):
        assert client.get(article.url, {"replytocom": value}).status_code == 200
        response = client.post(f"/comments/{article.pk}/post/", {**GOOD, "parent": value})
        assert response.status_code == 400
        assert "whole number" in response.content.decode() or "Ensure" in response.content.decode()
    assert Comment.objects.count() == 1
