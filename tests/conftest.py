import contextlib
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.cache import cache

from wagtail.models import Page, Site

import pytest

from home.demo import load_demo_content
from home.models import HomePage
from immunotherapy.api.http_cache import clear_process_cache
from tests.helpers import run_manage


def scaleout_ready() -> bool:
    """PostgreSQL, Redis and Varnish, as in CI's second pass: the two-server tests can run."""
    return (
        os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
        and bool(os.environ.get("REDIS_URL"))
        and shutil.which("varnishd") is not None
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `redis` need a real Redis: without REDIS_URL they are deselected, not passed.
    Tests marked `scaleout` also need PostgreSQL (DATABASE_URL) and `varnishd`.

    `.ci/run` runs the suite a second time with all of them, where they run.
    """
    unmet = set()
    if not os.environ.get("REDIS_URL"):
        unmet.add("redis")
    if not scaleout_ready():
        unmet.add("scaleout")
    deselected = [item for item in items if any(item.get_closest_marker(m) for m in unmet)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]


def pytest_report_header(config: pytest.Config) -> str:
    redis = (
        "REDIS_URL set: redis tests run"
        if os.environ.get("REDIS_URL")
        else ("REDIS_URL unset: tests marked redis are deselected")
    )
    scaleout = "scaleout tests run" if scaleout_ready() else "scaleout tests deselected"
    database = os.environ.get("DATABASE_URL", "SQLite (default)").split("@")[-1]
    return f"database: {database}; {redis}; {scaleout}"


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite database migrated under the test settings by a child process, once per test
    process: tests that start processes of their own copy it (tests.helpers.copy_sqlite) instead
    of each running a migrate of tens of seconds."""
    db = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    migrated = run_manage(
        "migrate",
        "--noinput",
        env={
            "DATABASE_URL": f"sqlite:///{db}",
            "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
        },
    )
    assert migrated.returncode == 0, migrated.stderr
    return db


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: no API responses or flood marks from another test.

    With REDIS_URL set this flushes that Redis database: point the suite at a scratch one. Under
    pytest-xdist, worker gwN flushes the database N above the URL's (site_config/settings/test.py).
    """
    _clear_caches()
    yield
    _clear_caches()


def _clear_caches() -> None:
    # Each test's database is rolled back, so content versions repeat from test to test.
    clear_process_cache()
    with contextlib.suppress(RuntimeError):  # no database, so nothing in the database cache
        cache.clear()


@pytest.fixture
def root_page(db) -> Page:
    return Page.get_first_root_node()


@pytest.fixture
def home_page(root_page: Page) -> HomePage:
    """A fresh HomePage as the default site's root, replacing Wagtail's welcome page."""
    for child in root_page.get_children():
        child.delete()
    home = root_page.add_child(instance=HomePage(title="Home", slug="home"))
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


@pytest.fixture
def editor(django_user_model):
    """A member of the Editors group: username ed, password pw."""
    user = django_user_model.objects.create_user(
        username="ed", email="ed@example.org", password="pw"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def demo_content(db):
    """The demo site exactly as `manage.py load_demo_content` builds it."""
    return load_demo_content()


@pytest.fixture
def tmp_data_file(tmp_path: Path):
    def write(text: str) -> Path:
        path = tmp_path / "demo.json"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def therapy_index(home_page: HomePage):
    from tests.factories import make_therapy_index

    return make_therapy_index(home_page)


class PurgeRecorder(BaseHTTPRequestHandler):
    purged: list[tuple[str, str]] = []

    def do_PURGE(self) -> None:
        self.purged.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def cdn(settings):
    """A stand-in for Varnish that records the PURGE requests it gets."""
    server = HTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PurgeRecorder.purged = []
    settings.WAGTAILFRONTENDCACHE = {
        "http": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    settings.WAGTAILAPI_BASE_URL = "http://localhost"
    yield PurgeRecorder.purged
    server.shutdown()
    server.server_close()
