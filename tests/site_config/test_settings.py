"""Each settings layer loads, reads the environment, and refuses unsafe production values."""

import json

import pytest

from tests.helpers import run_python

pytestmark = pytest.mark.backends

REPORT = (
    "import json; print(json.dumps({'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS, "
    "'csrf': settings.CSRF_TRUSTED_ORIGINS, 'db': settings.DATABASES['default']['ENGINE'], "
    "'db_name': str(settings.DATABASES['default']['NAME']), "
    "'cache': settings.CACHES['default']['BACKEND'], 'email': settings.EMAIL_BACKEND, "
    "'media': str(settings.MEDIA_ROOT), 'static': str(settings.STATIC_ROOT), "
    "'rich_text': settings.WAGTAILAPI_RICH_TEXT_FORMAT}))"
)


def report(settings_module: str, env: dict[str, str] | None = None) -> dict:
    result = run_python(REPORT, settings_module, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("layer", "debug"),
    [("dev", True), ("test", False)],
)
def test_layers_load_with_no_environment(layer: str, debug: bool) -> None:
    values = report(f"site_config.settings.{layer}")
    assert values["debug"] is debug
    assert values["db"] == "django.db.backends.sqlite3"
    assert values["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert values["rich_text"] == "html"


def test_dev_prints_mail_to_the_console() -> None:
    assert report("site_config.settings.dev")["email"].endswith("console.EmailBackend")


def test_production_loads_with_a_real_secret_key() -> None:
    values = report(
        "site_config.settings.production",
        {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"},
    )
    assert values["debug"] is False
    assert values["hosts"] == ["example.org"]


def test_every_deploy_value_comes_from_the_environment() -> None:
    values = report(
        "site_config.settings.dev",
        {
            "DEBUG": "false",
            "ALLOWED_HOSTS": "a.example, b.example",
            "CSRF_TRUSTED_ORIGINS": "https://a.example",
            "DATABASE_URL": "postgres://user:pw@db.internal:5432/cms",
            "REDIS_URL": "redis://cache.internal:6379/1",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "MEDIA_ROOT": "/srv/media",
            "STATIC_ROOT": "/srv/static",
        },
    )
    assert values["debug"] is False
    assert values["hosts"] == ["a.example", "b.example"]
    assert values["csrf"] == ["https://a.example"]
    assert values["db"] == "django.db.backends.postgresql"
    assert values["db_name"] == "cms"
    assert values["cache"] == "django_redis.cache.RedisCache"
    assert values["email"].endswith("smtp.EmailBackend")
    assert values["media"] == "/srv/media"
    assert values["static"] == "/srv/static"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "django-insecure-abc"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "x" * 50, "DEBUG": "true"}, "DEBUG must be off"),
    ],
)
def test_production_refuses_unsafe_values(env: dict[str, str], message: str) -> None:
    result = run_python("print('started')", "site_config.settings.production", env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "started" not in result.stdout


def test_sqlite_uses_wal_and_a_busy_timeout(tmp_path) -> None:
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); mode = c.fetchone()[0]\n"
        "    c.execute('PRAGMA busy_timeout'); timeout = c.fetchone()[0]\n"
        "print(mode, timeout)"
    )
    db = tmp_path / "wal.sqlite3"
    result = run_python(code, "site_config.settings.dev", {"DATABASE_URL": f"sqlite:///{db}"})
    assert result.returncode == 0, result.stderr
    mode, timeout = result.stdout.split()
    assert mode == "wal"
    assert int(timeout) >= 5000


def test_a_database_migrated_under_another_cache_serves_the_default_one(tmp_path) -> None:
    """Say migrated with REDIS_URL set, then run without: the database cache table is there."""
    (tmp_path / "cached_elsewhere.py").write_text(
        "from site_config.settings.test import *\n"
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n"
    )
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}"}
    migrated = run_python(
        "from django.core.management import call_command; call_command('migrate', verbosity=0)",
        "cached_elsewhere",
        {**database, "PYTHONPATH": str(tmp_path)},
    )
    assert migrated.returncode == 0, migrated.stderr
    used = run_python(
        "from django.core.cache import cache; cache.set('k', 'shared'); print(cache.get('k'))",
        "site_config.settings.test",
        database,
    )
    assert used.returncode == 0, used.stderr
    assert used.stdout.strip().splitlines()[-1] == "shared"
