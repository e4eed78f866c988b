"""`/healthz` tells a load balancer whether this app server can reach its database and cache."""

from django.conf import settings
from django.db import OperationalError, connections

import pytest
from django_redis.cache import RedisCache

from site_config import health
from tests.helpers import free_port


def test_healthy_server_answers_200_with_json(client, db) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok"},
        "failed": [],
    }
    assert "no-store" in response["Cache-Control"]


def test_no_sign_in_is_needed_and_no_session_is_started(client, db) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert not response.cookies


def test_unreachable_database_gives_503_naming_it(client, db, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:  # undone before the test database is torn down
        patch.setattr(connections["default"], "cursor", refuse)
        response = client.get("/healthz")
    assert response.status_code == 503
    # Without Redis the cache is a table in the same database, so it is down with it.
    cache_in_database = settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    expected = ["database", "cache"] if cache_in_database else ["database"]
    assert response.json()["failed"] == expected


class BrokenCache:
    def set(self, *args, **kwargs) -> None:
        raise ConnectionError("redis is down")

    def get(self, *args, **kwargs) -> None:
        raise ConnectionError("redis is down")


class ForgetfulCache:
    def set(self, *args, **kwargs) -> None:
        pass

    def get(self, *args, **kwargs) -> None:
        return None


@pytest.mark.parametrize("broken", [BrokenCache(), ForgetfulCache()])
def test_unusable_cache_gives_503_naming_it(client, db, monkeypatch, broken) -> None:
    monkeypatch.setattr(health, "cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "checks": {"database": "ok", "cache": "error"},
        "failed": ["cache"],
    }
    assert "no-store" in response["Cache-Control"]


def test_only_get_is_allowed(client, db) -> None:
    assert client.post("/healthz").status_code == 405


def test_a_redis_server_that_is_down_gives_503_quickly(client, db, monkeypatch) -> None:
    """A real django-redis client pointed at a port where nothing listens."""
    down = RedisCache(
        f"redis://127.0.0.1:{free_port()}/0",
        {"OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}},
    )
    monkeypatch.setattr(health, "cache", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_ping_answers_without_touching_the_database(client) -> None:
    # No django_db mark: pytest-django makes any database access here an error.
    response = client.get("/ping/")
    assert response.status_code == 200
    assert response.content == b"pong"
    assert client.post("/ping/").status_code == 405
