"""Flood control through the comments API: one comment per client address per 15 seconds.

The address is the one `site_config.client_ip` trusts, so a forged `X-Forwarded-For` neither
escapes the limit nor blocks someone else; and with Redis the limit holds across app servers.
"""

import json

from django.core.cache import cache

import pytest

from comments.models import Comment
from immunotherapy.models import ArticlePage
from tests.helpers import FLOOD_MESSAGE, gunicorn_server, live_database_url, post_json

pytestmark = pytest.mark.backends

URL = "/api/v2/comments/"


def comment(article: ArticlePage, number: int) -> dict:
    return {
        "page": article.pk,
        "author_name": f"Reader {number}",
        "author_email": f"reader{number}@example.org",
        "body": f"Comment {number} about my treatment.",
    }


def post(client, payload: dict, remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(URL, json.dumps(payload), content_type="application/json", **extra)


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_changes_nothing_by_default(client, article, settings) -> None:
    settings.CLIENT_IP_HEADER = ""  # the default: no proxy header is trusted
    settings.CLIENT_IP_PROXY_COUNT = 0

    first = post(client, comment(article, 1), "203.0.113.7", forwarded="198.51.100.1")
    assert first.status_code == 201
    assert Comment.objects.get(pk=first.json()["id"]).ip_address == "203.0.113.7"
    # A new made-up address in the header does not start a new flood window ...
    again = post(client, comment(article, 2), "203.0.113.7", forwarded="198.51.100.2")
    assert again.status_code == 429
    # ... and naming someone else's address does not get them blocked.
    other = post(client, comment(article, 3), "198.51.100.1", forwarded="203.0.113.7")
    assert other.status_code == 201
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_address_it_appends_is_used(client, article, settings) -> None:
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.CLIENT_IP_PROXY_COUNT = 1
    proxy = "10.0.0.1"

    # The client forged the first entry; the proxy appended the address it saw.
    first = post(client, comment(article, 1), proxy, forwarded="1.2.3.4, 203.0.113.7")
    assert first.status_code == 201
    assert Comment.objects.get(pk=first.json()["id"]).ip_address == "203.0.113.7"
    # The same client with another forged entry is still the same client.
    again = post(client, comment(article, 2), proxy, forwarded="5.6.7.8, 203.0.113.7")
    assert again.status_code == 429
    # Another client behind the same proxy is not held back by the first one's window, even
    # when it forges the first client's address.
    other = post(client, comment(article, 3), proxy, forwarded="203.0.113.7, 198.51.100.9")
    assert other.status_code == 201
    assert Comment.objects.get(pk=other.json()["id"]).ip_address == "198.51.100.9"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_flood_limit_holds_across_two_app_servers_sharing_redis(article, settings) -> None:
    server_env = {
        "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
        "DATABASE_URL": live_database_url(),
        "REDIS_URL": settings.REDIS_URL,
    }
    with gunicorn_server(server_env) as server_a, gunicorn_server(server_env) as server_b:
        assert post_json(server_a + URL, comment(article, 1))[0] == 201
        status, body = post_json(server_b + URL, comment(article, 2))
        assert status == 429
        assert FLOOD_MESSAGE.fullmatch(body["message"]), body
        assert Comment.objects.count() == 1

        # The window is one shared Redis key that lives 15 seconds; once it is gone (the time
        # has passed), either server takes the next comment.
        flood_key = "comments:flood:127.0.0.1"
        assert 0 < cache.ttl(flood_key) <= 15
        cache.delete(flood_key)
        assert post_json(server_b + URL, comment(article, 2))[0] == 201
    assert Comment.objects.count() == 2
