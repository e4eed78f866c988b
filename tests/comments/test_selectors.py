"""The approved thread of a page: order, depth, hidden branches, one query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from comments.selectors import comment_count_pending, comment_list_approved, comment_pending_by_page

pytestmark = [pytest.mark.django_db, pytest.mark.backends]


def test_thread_order_is_depth_first_oldest_first(article, make_comment) -> None:
    first = make_comment(body="first")
    second = make_comment(body="second")
    reply_to_first = make_comment(parent=first, body="reply to first")
    nested = make_comment(parent=reply_to_first, body="nested")
    late_reply = make_comment(parent=first, body="late reply to first")
    thread = comment_list_approved(page=article)
    assert [c.body for c in thread] == [
        "first",
        "reply to first",
        "nested",
        "late reply to first",
        "second",
    ]
    assert [c.thread_depth for c in thread] == [1, 2, 3, 2, 1]
    assert first.pk == thread[0].pk
    assert [r.pk for r in thread[0].thread_replies] == [reply_to_first.pk, late_reply.pk]
    assert second.pk == thread[4].pk and thread[4].thread_replies == []
    assert nested.pk == thread[2].pk


@pytest.mark.parametrize("status", ["pending", "spam", "trash"])
def test_unapproved_comments_and_their_replies_are_left_out(article, make_comment, status) -> None:
    hidden = make_comment(status=status)
    make_comment(parent=hidden, body="reply to hidden")
    shown = make_comment(body="shown")
    assert [c.pk for c in comment_list_approved(page=article)] == [shown.pk]


def test_other_pages_comments_are_not_listed(article, make_comment) -> None:
    make_comment(page=article.get_parent())
    assert comment_list_approved(page=article) == []


def test_thread_is_one_query_and_holds_no_private_fields(article, make_comment) -> None:
    make_comment()
    with CaptureQueriesContext(connection) as queries:
        thread = comment_list_approved(page=article)
    assert len(queries) == 1
    sql = queries[0]["sql"]
    for private in ("author_email", "ip_address", "user_agent"):
        assert private not in sql
    assert thread[0].author_name


def test_pending_counts(article, make_comment) -> None:
    index = article.get_parent()
    make_comment(status="pending")
    make_comment(status="pending")
    make_comment(status="pending", page=index)
    make_comment(status="approved")
    assert comment_count_pending() == 3
    assert comment_pending_by_page() == [
        {"page_id": article.pk, "page__title": article.title, "pending": 2},
        {"page_id": index.pk, "page__title": index.title, "pending": 1},
    ]
