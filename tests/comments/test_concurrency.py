"""No lost writes: many readers posting at once to a live gunicorn server each get their comment
stored exactly once, with no server error.

The server runs in its own processes (several workers, several threads each) on the same test
database as this process: 200 comments on PostgreSQL, 50 on SQLite, whichever the suite runs on.
"""

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError

from django.db import connection

import pytest

from comments.models import Comment
from immunotherapy.models import ArticleIndexPage, ArticlePage
from tests.helpers import gunicorn_server, live_database_url

pytestmark = pytest.mark.django_db(transaction=True)

COMMENTS_PER_DATABASE = {"postgresql": 200, "sqlite": 50}
THREADS = 20


def post_comment(base_url: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - local test server
        f"{base_url}/api/v2/comments/",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, {"error": error.read().decode(errors="replace")[:500]}


@pytest.fixture
def article(home_page) -> ArticlePage:
    articles = home_page.add_child(instance=ArticleIndexPage(title="Articles", slug="articles"))
    return articles.add_child(instance=ArticlePage(title="Living with it", slug="living", intro="x"))


def test_comments_posted_at_once_are_each_stored_exactly_once(article) -> None:
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
    server_env = {
        "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
        "DATABASE_URL": live_database_url(),
        "COMMENTS_FLOOD_SECONDS": "0",  # every post comes from 127.0.0.1
        "GUNICORN_WORKERS": "3",
        "GUNICORN_THREADS": "4",
    }
    with gunicorn_server(server_env) as base_url:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            results = list(pool.map(lambda payload: post_comment(base_url, payload), payloads))

    failures = [(status, body) for status, body in results if status != 201]
    assert failures == []
    created_ids = [body["id"] for _, body in results]
    stored = list(Comment.objects.filter(page=article).values_list("pk", "body"))
    assert sorted(pk for pk, _ in stored) == sorted(created_ids)
    assert sorted(body for _, body in stored) == sorted(p["body"] for p in payloads)
