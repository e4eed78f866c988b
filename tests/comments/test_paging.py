"""Comments in pages of threads, as WordPress breaks them: links, permalinks, the API's pages."""

import re
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from comments.models import Comment
from tests.comments.conftest import ARTICLE_URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def threads(article, settings) -> list[Comment]:
    """Five threads, two per page, each top-level comment with one reply; oldest first."""
    settings.COMMENTS_PER_PAGE = 2
    start = timezone.now() - timedelta(days=1)
    roots = []
    for n in range(5):
        root = Comment.objects.create(
            page=article,
            author_name=f"Thread {n}",
            author_email="a@example.org",
            body=f"Thread {n} starts",
            status=Comment.Status.APPROVED,
            created_at=start + timedelta(minutes=n),
        )
        Comment.objects.create(
            page=article,
            parent=root,
            author_name=f"Reply {n}",
            author_email="b@example.org",
            body=f"Reply in thread {n}",
            status=Comment.Status.APPROVED,
            created_at=start + timedelta(hours=1, minutes=n),
        )
        roots.append(root)
    return roots


def shown(html: str) -> list[str]:
    return re.findall(r"(Thread \d starts|Reply in thread \d)", html)


def test_first_page_shows_two_threads_with_their_replies(client, threads) -> None:
    html = client.get(ARTICLE_URL).content.decode()
    assert shown(html) == [
        "Thread 0 starts",
        "Reply in thread 0",
        "Thread 1 starts",
        "Reply in thread 1",
    ]
    assert "10 comments on" in html  # the heading counts every comment, not the page's


def test_page_links_are_an_accessible_navigation(client, threads) -> None:
    html = client.get(ARTICLE_URL, {"cpage": 2}).content.decode()
    assert shown(html)[0] == "Thread 2 starts"
    assert '<nav class="pagination" aria-label="Comment pages">' in html
    assert 'href="?cpage=2#comments" aria-current="page"' in html
    assert 'href="?cpage=3#comments" rel="next"' in html
    assert 'href="?cpage=1#comments" rel="prev"' in html


@pytest.mark.parametrize("value", ["99", "0", "x", "-1"])
def test_a_page_out_of_range_or_malformed_shows_a_page_not_an_error(client, threads, value) -> None:
    response = client.get(ARTICLE_URL, {"cpage": value})
    assert response.status_code == 200
    assert len(shown(response.content.decode())) in (2, 4)


def test_newest_first_puts_the_latest_thread_on_page_one(client, threads, settings) -> None:
    settings.COMMENTS_ORDER = "newest"
    html = client.get(ARTICLE_URL).content.decode()
    assert shown(html) == [
        "Thread 4 starts",
        "Reply in thread 4",
        "Thread 3 starts",
        "Reply in thread 3",
    ]


@pytest.mark.parametrize(("order", "cpage"), [("oldest", 3), ("newest", 1)])
def test_permalink_lands_on_the_page_showing_the_comment(client, threads, settings, order, cpage):
    settings.COMMENTS_ORDER = order
    reply = threads[4].replies.get()
    response = client.get(f"/comments/{reply.pk}/")
    assert response.status_code == 302
    suffix = f"?cpage={cpage}" if cpage > 1 else ""
    assert response["Location"] == f"{ARTICLE_URL}{suffix}#comment-{reply.pk}"
    landed = client.get(response["Location"]).content.decode()
    assert f'id="comment-{reply.pk}"' in landed


def test_permalink_of_a_held_or_missing_comment_is_not_found(client, threads) -> None:
    threads[0].status = Comment.Status.PENDING
    threads[0].save()
    assert client.get(f"/comments/{threads[0].pk}/").status_code == 404
    assert client.get("/comments/999999/").status_code == 404


def test_comment_links_on_later_pages_keep_the_page(client, threads) -> None:
    html = client.get(ARTICLE_URL, {"cpage": 3}).content.decode()
    root = threads[4]
    assert f'href="?cpage=3#comment-{root.pk}"' in html
    assert f'href="?cpage=3&amp;replytocom={root.pk}#respond"' in html


def test_api_pages_are_the_html_pages(client, article, threads) -> None:
    for cpage in (1, 2, 3):
        html = client.get(ARTICLE_URL, {"cpage": cpage}).content.decode()
        data = client.get("/api/v2/comments/", {"page": article.pk, "cpage": cpage}).json()
        assert [f'id="comment-{item["id"]}"' in html for item in data["items"]] == [True] * len(
            data["items"]
        )
        assert len(data["items"]) == len(shown(html))
        assert data["meta"] == {
            "total_count": 10,
            "cpage": cpage,
            "cpages": 3,
            "threads_per_page": 2,
            "order": "oldest",
        }


@pytest.mark.parametrize(("value", "status"), [("0", 400), ("x", 400), ("4", 404)])
def test_api_refuses_a_bad_or_missing_comment_page(client, article, threads, value, status):
    response = client.get("/api/v2/comments/", {"page": article.pk, "cpage": value})
    assert response.status_code == status
    assert "cpage" in response.json()["message"] or "comment page" in response.json()["message"]


def test_api_offset_listing_follows_the_same_order(client, article, threads, settings) -> None:
    settings.COMMENTS_ORDER = "newest"
    data = client.get("/api/v2/comments/", {"page": article.pk, "limit": 2}).json()
    assert [item["body_html"] for item in data["items"]] == [
        "<p>Thread 4 starts</p>",
        "<p>Reply in thread 4</p>",
    ]


def add_comments(article, count: int) -> None:
    """`count` approved comments, one in five a reply (the shape `make bench` measures)."""
    roots = Comment.objects.bulk_create(
        Comment(page=article, author_name=f"R{n}", author_email="r@example.org", body="Hi " * 40,
                status=Comment.Status.APPROVED)
        for n in range(count - count // 5)
    )  # fmt: skip
    Comment.objects.bulk_create(
        Comment(page=article, parent=roots[n], author_name=f"P{n}", author_email="p@example.org",
                body="Thanks " * 20, status=Comment.Status.APPROVED)
        for n in range(count // 5)
    )  # fmt: skip


def test_500_comments_render_small_in_the_queries_of_5(client, article, django_assert_num_queries):
    add_comments(article, 5)
    client.get(ARTICLE_URL)  # warm caches (site root paths, content types)
    cache.clear()  # rendered anew each time, not from the page cache
    with CaptureQueriesContext(connection) as few:
        client.get(ARTICLE_URL)
    expected = len(few)
    Comment.objects.all().delete()
    add_comments(article, 500)
    cache.clear()  # in bulk: no signal refreshed the cached page
    client.get(ARTICLE_URL)  # warm again: the delete above started a new content version
    cache.clear()
    with django_assert_num_queries(expected):
        response = client.get(ARTICLE_URL)
    assert "500 comments on" in response.content.decode()
    assert len(response.content) < 150_000
