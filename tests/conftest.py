import os
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.cache import cache

from wagtail.models import Page, Site

import pytest

from home.models import HomePage
from immunotherapy.demo import load_demo_content


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `redis` need a real Redis: without REDIS_URL they are deselected, not passed.

    `.ci/run` runs the suite a second time with REDIS_URL set, where they run.
    """
    if os.environ.get("REDIS_URL"):
        return
    deselected = [item for item in items if item.get_closest_marker("redis")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("redis")]


def pytest_report_header(config: pytest.Config) -> str:
    redis = (
        "REDIS_URL set: redis tests run"
        if os.environ.get("REDIS_URL")
        else ("REDIS_URL unset: tests marked redis are deselected")
    )
    return f"database: {os.environ.get('DATABASE_URL', 'SQLite (default)').split('@')[-1]}; {redis}"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: no API responses or flood marks from another test.

    With REDIS_URL set this flushes that Redis database: point the suite at a scratch one.
    """
    cache.clear()
    yield
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
