"""No lost writes: many readers posting at once to a live gunicorn server each get their comment
stored exactly once, with no server error.

The server runs in its own processes (several workers, several threads each) on the same test
database as this process: 200 comments on PostgreSQL, 50 on SQLite, whichever the suite runs on.
"""

from concurrent.futures import ThreadPoolExecutor

from django.db import connection

import pytest

from comments.models import Comment
from tests.helpers import gunicorn_server, live_database_url, post_json

# serialized_rollback puts back what migrations created (root page, locale) after the flush.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.backends,
]

COMMENTS_PER_DATABASE = {"postgresql": 200, "sqlite": 50}
THREADS = 20


@pytest.fixture(scope="module")
def comments_url(django_db_setup) -> str:
    """The comments API of a gunicorn server (3 workers of 4 threads) on the test database."""
    server_env = {
        "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
        "DATABASE_URL": live_database_url(),
        "COMMENTS_FLOOD_SECONDS": "0",  # every post comes from 127.0.0.1
        "GUNICORN_WORKERS": "3",
        "GUNICORN_THREADS": "4",
    }
    with gunicorn_server(server_env) as base_url:
        yield f"{base_url}/api/v2/comments/"


def post_all(url: str, payloads: list[dict]) -> list[tuple[int, dict]]:
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(lambda payload: post_json(url, payload), payloads))


def test_comments_posted_at_once_are_each_stored_exactly_once(article, comments_url) -> None:
    count = COMMENTS_PER_DATABASE[connection.vendor]
    payloads = [
        {
            "page": article.pk,
            "author_name": f"Reader {number}",
            "author_email": f"reader{number}@example.org",
            "body": f"Comment {number}: thank you for explaining my treatment.",
        }
        for number in range(count)
    ]
    results = post_all(comments_url, payloads)

    failures = [(status, body) for status, body in results if status != 201]
    assert failures == []
    created_ids = [body["id"] for _, body in results]
    stored = list(Comment.objects.filter(page=article).values_list("pk", "body"))
    assert sorted(pk for pk, _ in stored) == sorted(created_ids)
    assert sorted(body for _, body in stored) == sorted(p["body"] for p in payloads)


def test_one_comment_sent_many_times_at_once_is_stored_once(article, comments_url) -> None:
    """A double click or a client's retries: one comment; the other copies are duplicates (409)."""
    payload = {
        "page": article.pk,
        "author_name": "Alex Reader",
        "author_email": "alex@example.org",
        "body": "Does this apply to stage 4?",
    }
    results = post_all(comments_url, [payload] * THREADS)

    assert sorted(status for status, _ in results) == [201] + [409] * (THREADS - 1)
    assert Comment.objects.filter(page=article).count() == 1
