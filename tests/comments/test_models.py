"""Comment field limits, reply rules and the per-page open/closed switch."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from comments.models import Comment

pytestmark = pytest.mark.django_db


def unsaved(article, **fields) -> Comment:
    values = {
        "page": article,
        "author_name": "Sam",
        "author_email": "sam@example.org",
        "body": "Hello",
        **fields,
    }
    return Comment(**values)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("author_name", "n" * 246),
        ("author_email", "e" * 92 + "@example.org"),
        ("author_url", "https://example.org/" + "p" * 181),
        ("body", "b" * 65_526),
        ("author_name", ""),
        ("author_email", ""),
        ("body", ""),
        ("author_email", "not-an-email"),
        ("author_url", "javascript:alert(1)"),
        ("author_url", "ftp://example.org/"),
    ],
)
def test_bad_field_is_a_field_error(article, field: str, value: str) -> None:
    with pytest.raises(ValidationError) as error:
        unsaved(article, **{field: value}).full_clean()
    assert field in error.value.message_dict


def test_limits_are_inclusive(article) -> None:
    unsaved(
        article,
        author_name="n" * 245,
        author_email="e" * 88 + "@example.org",
        author_url="https://example.org/" + "p" * 180,
        body="b" * 65_525,
    ).full_clean()


def test_reply_to_an_approved_comment_on_the_same_page_is_valid(article, make_comment) -> None:
    parent = make_comment()
    unsaved(article, parent=parent).full_clean()


@pytest.mark.parametrize("status", ["pending", "spam", "trash"])
def test_reply_to_an_unpublished_comment_is_refused(article, make_comment, status) -> None:
    parent = make_comment(status=status)
    with pytest.raises(ValidationError) as error:
        unsaved(article, parent=parent).full_clean()
    assert error.value.message_dict["parent"] == ["You can only reply to a published comment."]


def test_reply_must_be_on_the_parents_page(article, make_comment) -> None:
    parent = make_comment(page=article.get_parent())
    with pytest.raises(ValidationError) as error:
        unsaved(article, parent=parent).full_clean()
    assert "same page" in error.value.message_dict["parent"][0]


def test_depth_is_capped_by_the_setting(article, make_comment, settings) -> None:
    chain = [make_comment()]
    for _ in range(4):
        chain.append(make_comment(parent=chain[-1]))
    assert chain[-1].depth() == 5
    with pytest.raises(ValidationError) as error:
        unsaved(article, parent=chain[-1]).full_clean()
    assert error.value.message_dict["parent"] == ["Replies can only be nested 5 levels deep."]
    settings.COMMENTS_MAX_DEPTH = 6
    unsaved(article, parent=chain[-1]).full_clean()
    settings.COMMENTS_MAX_DEPTH = 2
    with pytest.raises(ValidationError):
        unsaved(article, parent=chain[1]).full_clean()


def test_editing_a_reply_later_does_not_recheck_its_parent(make_comment) -> None:
    parent = make_comment()
    reply = make_comment(parent=parent)
    parent.status = Comment.Status.TRASH
    parent.save()
    reply.refresh_from_db()
    reply.full_clean()


def test_excerpt_shortens_long_text_at_a_word(make_comment) -> None:
    comment = make_comment(body="word " * 40)
    assert len(comment.excerpt()) <= 80
    assert comment.excerpt().endswith("word…")


def test_excerpt_is_plain_text_never_markup_cut_mid_tag(make_comment) -> None:
    body = '<a href="https://example.org/a-long-address">a link</a> &amp; <b>bold</b> ' + "x " * 50
    comment = make_comment(body=body)
    assert comment.excerpt(30) == "a link & bold x x x x x x x…"
    assert "<" not in comment.excerpt(12)


def test_comments_are_open_by_default_and_can_be_closed(article) -> None:
    assert article.comments_open is True
    assert article.comments_are_open()
    article.comments_open = False
    assert not article.comments_are_open()


def test_comments_close_after_the_configured_days(article, settings) -> None:
    article.first_published_at = timezone.now() - timedelta(days=15)
    assert article.comments_are_open()  # 0: never close
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    assert not article.comments_are_open()
    settings.COMMENTS_CLOSE_AFTER_DAYS = 16
    assert article.comments_are_open()
