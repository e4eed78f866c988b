"""With REDIS_URL, every app server shares one cache: what one writes, another reads.

Marked `redis`: deselected (reported as such) when REDIS_URL is unset; `.ci/run` runs
them in its PostgreSQL + Redis pass against a real redis-server.
"""

import uuid

from django.core.cache import caches

import pytest

from tests.helpers import run_python

pytestmark = pytest.mark.redis


@pytest.fixture
def key():
    name = f"test-{uuid.uuid4().hex}"
    yield name
    caches["default"].delete(name)


def test_the_cache_is_redis(settings) -> None:
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert caches["default"].client.get_client().ping()


def test_two_cache_clients_share_values(key: str) -> None:
    server_a = caches.create_connection("default")
    server_b = caches.create_connection("default")
    assert server_a is not server_b
    assert server_a.client.get_client() is not server_b.client.get_client()

    server_a.set(key, {"published": True}, timeout=30)
    assert server_b.get(key) == {"published": True}
    server_b.delete(key)
    assert server_a.get(key) is None


def test_a_value_written_by_another_process_is_seen_here(settings, key: str) -> None:
    code = f"from django.core.cache import cache; cache.set({key!r}, 'from-another-server', 30)"
    result = run_python(code, "site_config.settings.test", {"REDIS_URL": settings.REDIS_URL})
    assert result.returncode == 0, result.stderr
    assert caches["default"].get(key) == "from-another-server"


def test_counters_are_atomic_across_clients(key: str) -> None:
    server_a = caches.create_connection("default")
    server_b = caches.create_connection("default")
    server_a.set(key, 0, timeout=30)
    for _ in range(5):
        server_a.incr(key)
        server_b.incr(key)
    assert server_a.get(key) == 10
