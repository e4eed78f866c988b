"""Every process sees every change on its next request: real app servers sharing one database
(the test database; no Redis), changed from another process (`manage.py shell`,
`publish_scheduled`) or through the other server."""

import gzip
import json
import os
import urllib.request
from datetime import timedelta

from django.utils import timezone

import pytest

from comments.models import Comment
from immunotherapy.models import ArticlePage
from tests.factories import make_article
from tests.helpers import gunicorn_server, live_database_url, post_json, run_manage

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.backends,
]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - local test server
        return json.loads(response.read())


def server_env() -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
        "DATABASE_URL": live_database_url(),
        "REDIS_URL": "",
    }


def shell(code: str) -> None:
    result = run_manage("shell", "-c", code, env=server_env())
    assert result.returncode == 0, result.stderr


@pytest.fixture
def article(home_page) -> ArticlePage:
    return make_article(home_page)


def get_html(url: str, accept_gzip: bool) -> tuple[str, str]:
    """The page's X-Cache status and its HTML, gzipped on the way if asked for."""
    headers = {"Accept-Encoding": "gzip"} if accept_gzip else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - local test server
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        body = response.read()
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.headers["X-Cache"], body.decode()


def titles(base_url: str) -> list[str]:
    listing = get_json(f"{base_url}/api/v2/pages/?type=immunotherapy.ArticlePage&fields=title")
    return [item["title"] for item in listing["items"]]


def test_a_publish_from_the_shell_is_seen_by_every_server(article) -> None:
    with gunicorn_server(server_env()) as a, gunicorn_server(server_env()) as b:
        assert titles(a) == titles(b) == ["Living with it"]  # each keeps its answer
        shell(
            f"from wagtail.models import Page; p = Page.objects.get(pk={article.pk}).specific; "
            "p.title = 'Living well'; p.save_revision().publish()"
        )
        assert titles(a) == titles(b) == ["Living well"]
        detail = get_json(f"{b}/api/v2/pages/{article.pk}/")
        assert detail["title"] == "Living well"


def test_a_publish_from_the_shell_reaches_the_html_every_server_keeps(article) -> None:
    with gunicorn_server(server_env()) as a, gunicorn_server(server_env()) as b:
        for server in (a, b):
            for accept_gzip in (False, True):
                status, html = get_html(server + article.url, accept_gzip)
                assert "<h1>Living with it</h1>" in html
        for server in (a, b):  # both now answer from the page each keeps in memory
            assert get_html(server + article.url, accept_gzip=True)[0] == "HIT"
        shell(
            f"from wagtail.models import Page; p = Page.objects.get(pk={article.pk}).specific; "
            "p.title = 'Living well'; p.save_revision().publish()"
        )
        for server in (a, b):
            for accept_gzip in (False, True):
                status, html = get_html(server + article.url, accept_gzip)
                assert "<h1>Living well</h1>" in html, (server, accept_gzip, status)


def test_publish_scheduled_from_cron_is_seen_by_a_running_server(article) -> None:
    with gunicorn_server(server_env()) as server:
        assert titles(server) == ["Living with it"]
        page = ArticlePage.objects.get(pk=article.pk)
        page.title = "Scheduled title"
        revision = page.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
        assert revision.approved_go_live_at is not None
        result = run_manage("publish_scheduled", env=server_env())
        assert result.returncode == 0, result.stderr
        assert titles(server) == ["Scheduled title"]


def test_a_comment_approved_elsewhere_is_listed_and_counted_by_every_server(article) -> None:
    comment = Comment.objects.create(
        page=article, author_name="Reader", author_email="r@example.org", body="<p>Hello</p>"
    )
    comments_url = f"/api/v2/comments/?page={article.pk}"
    detail_url = f"/api/v2/pages/{article.pk}/?fields=comment_count"
    with gunicorn_server(server_env()) as a, gunicorn_server(server_env()) as b:
        for server in (a, b):
            assert get_json(server + comments_url)["meta"]["total_count"] == 0
            assert get_json(server + detail_url)["comment_count"] == 0
        shell(
            "from comments.models import Comment; from comments.services import comment_approve; "
            "from django.contrib.auth import get_user_model; "
            "moderator = get_user_model().objects.create_user('mod', 'm@example.org', 'pw'); "
            f"comment_approve(comment=Comment.objects.get(pk={comment.pk}), moderator=moderator)"
        )
        for server in (a, b):
            assert get_json(server + comments_url)["meta"]["total_count"] == 1
            assert get_json(server + detail_url)["comment_count"] == 1


def test_the_flood_limit_holds_across_two_servers_without_redis(article) -> None:
    def comment(number: int) -> dict:
        return {
            "page": article.pk,
            "author_name": f"Reader {number}",
            "author_email": f"reader{number}@example.org",
            "body": f"Comment number {number}, thoughtfully written.",
        }

    with gunicorn_server(server_env()) as a, gunicorn_server(server_env()) as b:
        assert post_json(f"{a}/api/v2/comments/", comment(1))[0] == 201
        status, body = post_json(f"{b}/api/v2/comments/", comment(2))
        assert status == 429, body
    assert Comment.objects.count() == 1


def test_production_with_a_cache_local_to_each_worker_refuses_to_start(tmp_path) -> None:
    settings_file = tmp_path / "locmem_settings.py"
    settings_file.write_text(
        "from site_config.settings.production import *  # noqa\n"
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "locmem_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
        "SECRET_KEY": "x" * 50,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "local to each process: set REDIS_URL" in result.stderr
    with pytest.raises(RuntimeError, match="local to each process: set REDIS_URL"):  # noqa: SIM117
        with gunicorn_server(env):
            pass
