"""The comment form and the comments API answer each refusal alike: same status, same message."""

import html
import json

import pytest

from comments.models import Comment
from tests.helpers import FLOOD_MESSAGE

pytestmark = [pytest.mark.django_db, pytest.mark.backends]

API_URL = "/api/v2/comments/"


def post_form(client, article, fields: dict) -> tuple[int, str]:
    response = client.post(f"/comments/{article.pk}/post/", fields)
    return response.status_code, html.unescape(response.content.decode())


def post_api(client, article, fields: dict) -> tuple[int, str]:
    data = {**fields, "page": article.pk}
    if "parent" in data:
        data["parent"] = int(data["parent"])
    response = client.post(API_URL, json.dumps(data), content_type="application/json")
    return response.status_code, json.dumps(response.json())


@pytest.fixture(params=[post_form, post_api], ids=["form", "api"])
def post(request, client, article):
    return lambda fields: request.param(client, article, fields)


def test_duplicate_is_409_with_the_wordpress_message(post, valid_post, settings) -> None:
    settings.COMMENTS_FLOOD_SECONDS = 0
    assert post(valid_post)[0] in (201, 302)
    status, text = post(valid_post)
    assert status == 409
    assert "Duplicate comment detected; it looks as though you've already said that!" in text
    assert Comment.objects.count() == 1


def test_flood_is_429(post, valid_post) -> None:
    assert post(valid_post)[0] in (201, 302)
    status, text = post({**valid_post, "body": "A second thought."})
    assert status == 429
    assert FLOOD_MESSAGE.search(text)
    assert Comment.objects.count() == 1


def test_closed_comments_are_403(post, article, valid_post) -> None:
    article.comments_open = False
    article.save_revision().publish()
    status, text = post(valid_post)
    assert status == 403
    assert "Comments are closed." in text
    assert not Comment.objects.exists()


@pytest.mark.parametrize("where", ["unknown", "other page"])
def test_unavailable_parent_is_400(post, article, make_comment, valid_post, where) -> None:
    parent_id = 999_999 if where == "unknown" else make_comment(page=article.get_parent()).pk
    status, text = post({**valid_post, "parent": parent_id})
    assert status == 400
    assert "The comment you are replying to is not available." in text
    assert not Comment.objects.filter(author_name=valid_post["author_name"]).exists()


def test_reply_to_a_held_comment_is_400(post, make_comment, valid_post) -> None:
    held = make_comment(status="pending")
    status, text = post({**valid_post, "parent": held.pk})
    assert status == 400
    assert "You can only reply to a published comment." in text
    assert Comment.objects.count() == 1
