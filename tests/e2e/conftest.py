"""Fixtures for the real-browser tests: Debian's chromium driven by playwright, a live server.

Every test in this folder is marked `e2e` (`make test-e2e` runs them alone). A test asks for
`page` (a fresh browser tab on a live server holding the demo content; relative URLs such as
`page.goto("/articles/")` work) or `admin_page` (the same, signed in to /admin/ as a superuser).
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connections

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from immunotherapy.demo import load_demo_content
from tests.e2e.helpers import admin_login, expect_admin_dashboard

E2E_DIR = Path(__file__).resolve().parent

# Headless chromium that stays off the network: without the background-networking flags it
# keeps trying to reach update, sync and safe-browsing servers.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
ADMIN_USERNAME = "e2e-admin"
ADMIN_PASSWORD = "e2e-admin-password"


@pytest.hookimpl(tryfirst=True)  # before `-m e2e` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator[Browser]:
    """One headless chromium for the whole run (each test gets its own context)."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium not found on PATH: run `apt-get install chromium`", pytrace=False)
    # Playwright's sync API leaves its event loop marked as running in this thread. Django's
    # async guard must then stand aside for the ORM calls tests make between browser steps,
    # and asgiref hands Django a fresh connection object, which must get the migration data
    # pytest-django saved for serialized rollback (see `live_site`).
    saved = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        for alias, contents in saved.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def live_site(
    browser: Browser, live_server, transactional_db, django_db_serialized_rollback
) -> str:
    """The live server's base URL, serving the demo content (whatever Site hostname it has)."""
    # serialized_rollback puts back the rows migrations created (root page, locale), which the
    # flush after each transactional test removes.
    load_demo_content()
    return live_server.url


@pytest.fixture
def page(browser: Browser, live_site: str) -> Iterator[Page]:
    """A fresh tab (own cookies and storage) at desktop size; relative URLs go to the live site."""
    context = browser.new_context(base_url=live_site, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def admin_user(live_site: str):
    """A superuser the browser can sign in as (ADMIN_USERNAME / ADMIN_PASSWORD)."""
    return get_user_model().objects.create_superuser(
        ADMIN_USERNAME, "e2e-admin@example.org", ADMIN_PASSWORD
    )


@pytest.fixture
def admin_page(page: Page, admin_user) -> Page:
    """A tab signed in to the Wagtail admin as a superuser, showing the dashboard."""
    admin_login(page, ADMIN_USERNAME, ADMIN_PASSWORD)
    expect_admin_dashboard(page, ADMIN_USERNAME)
    return page
