"""Fixtures for the real-browser tests: Debian's chromium driven by playwright, a live server.

Every test in this folder is marked `e2e` (`make test-e2e` runs them alone) and runs against a
live server whose database holds the demo content, rebuilt for each test. Fixtures:

- `page`: an anonymous reader's tab at 1280x800; relative URLs work (`page.goto("/articles/")`).
- `admin_page`: another tab (own cookies), signed in to /admin/ as a superuser (`admin_user`).
- `new_page()`: one more tab for one more person, e.g. a second reader who replies.
- `moderator_page`: a tab signed in to /admin/ as a member of the "Comment moderators" group.
- `seed_comments`: approved comments on the seed article (one with a nested reply).
- `no_flood_control`: every reader of a test posts from 127.0.0.1, so a flow with several
  comments turns the 15 s flood limit off with it (`COMMENTS_FLOOD_SECONDS = 0`).

Checks live in `tests/e2e/helpers.py`: `axe_check(page)`, `assert_no_horizontal_scroll(page)`,
`tab_through(page)` / `focus_stop(page)` for keyboard flows, `screenshot(page, name)`,
`admin_login(page, ...)`. A new public page joins the axe, phone-width and keyboard checks by
one line in `helpers.PUBLIC_PAGES`. A test named `test_screenshot_*` that calls `screenshot()`
feeds `make screenshots` (docs/screenshots/).
"""

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.signals import request_finished, request_started
from django.db import connections

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from comments.models import Comment
from home.demo import load_demo_content
from immunotherapy.models import ArticlePage
from tests.e2e.helpers import SEED_ARTICLE_URL, admin_login, expect_admin_dashboard

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
# Generous waits: CI machines have two cores and the live server runs in this process.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)
ADMIN_USERNAME = "e2e-admin"
ADMIN_PASSWORD = "e2e-admin-password"
MODERATOR_USERNAME = "e2e-moderator"
MODERATOR_PASSWORD = "e2e-moderator-password"


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


class RequestsInFlight:
    """Counts the live server's requests between Django's request_started and request_finished."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def started(self, **kwargs: Any) -> None:
        with self.changed:
            self.count += 1

    def finished(self, **kwargs: Any) -> None:
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count <= 0, timeout)


@pytest.fixture
def live_site(
    browser: Browser, live_server, transactional_db, django_db_serialized_rollback
) -> Iterator[str]:
    """The live server's base URL, serving the demo content (whatever Site hostname it has)."""
    # serialized_rollback puts back the rows migrations created (root page, locale), which the
    # flush after each transactional test removes.
    load_demo_content()
    in_flight = RequestsInFlight()
    request_started.connect(in_flight.started, weak=False)
    request_finished.connect(in_flight.finished, weak=False)
    yield live_server.url
    # The tabs are closed by now (their fixtures end first), but a request they sent (the
    # editor's autosave, the admin's ping) may still be running on the server. The database
    # is emptied after this: on PostgreSQL, TRUNCATE against that request's open transaction
    # deadlocks, and every later test would start on a database that could not be emptied.
    idle = in_flight.wait_until_idle(timeout=60)
    request_started.disconnect(in_flight.started)
    request_finished.disconnect(in_flight.finished)
    assert idle, f"{in_flight.count} request(s) still running on the live server after the test"


@pytest.fixture
def new_page(browser: Browser, live_site: str) -> Iterator[Callable[..., Page]]:
    """Opens a tab for one more person (own cookies): `other = new_page()`; closed afterwards."""
    contexts: list[BrowserContext] = []

    def open_tab(**context_options: Any) -> Page:
        # bypass_csp: axe-core is injected as an inline script, which the site's
        # Content-Security-Policy rightly refuses; the policy itself is tested elsewhere.
        context = browser.new_context(
            **{"base_url": live_site, "viewport": DESKTOP, "bypass_csp": True, **context_options}
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    """A reader's tab at desktop size; relative URLs go to the live site (`page.goto("/")`)."""
    return new_page()


@pytest.fixture
def admin_user(live_site: str):
    """A superuser the browser can sign in as (ADMIN_USERNAME / ADMIN_PASSWORD)."""
    return get_user_model().objects.create_superuser(
        ADMIN_USERNAME, "e2e-admin@example.org", ADMIN_PASSWORD
    )


@pytest.fixture
def admin_page(new_page: Callable[..., Page], admin_user) -> Page:
    """A separate tab signed in to the Wagtail admin as a superuser, showing the dashboard.

    It does not share cookies with `page`, so one test can have a reader and an editor.
    """
    tab = new_page()
    admin_login(tab, ADMIN_USERNAME, ADMIN_PASSWORD)
    expect_admin_dashboard(tab, ADMIN_USERNAME)
    return tab


@pytest.fixture
def no_flood_control(settings) -> None:
    """Lift the per-IP flood limit for this test.

    The live server is a thread of this process, so it sees what pytest-django's `settings`
    fixture changes (and gets the old value back after the test). The environment variable
    COMMENTS_FLOOD_SECONDS=0 does the same for a whole run, e.g. against a separate server.
    """
    settings.COMMENTS_FLOOD_SECONDS = 0


@pytest.fixture
def moderator_page(new_page: Callable[..., Page], live_site: str) -> Page:
    """A tab signed in to the admin as a "Comment moderators" member (not a superuser)."""
    moderator = get_user_model().objects.create_user(
        MODERATOR_USERNAME, "e2e-moderator@example.org", MODERATOR_PASSWORD
    )
    moderator.groups.add(Group.objects.get(name="Comment moderators"))
    tab = new_page()
    admin_login(tab, MODERATOR_USERNAME, MODERATOR_PASSWORD)
    expect_admin_dashboard(tab, MODERATOR_USERNAME)
    return tab


@pytest.fixture
def seed_comments(live_site: str) -> list[Comment]:
    """Approved comments on the seed article: two threads, one with a reply nested under it."""
    article = ArticlePage.objects.get(url_path__endswith=SEED_ARTICLE_URL)
    approved = Comment.Status.APPROVED

    def add(name: str, body: str, **fields: Any) -> Comment:
        email = f"{name.split()[0].lower()}@example.org"
        return Comment.objects.create(
            page=article, author_name=name, author_email=email, body=body, status=approved, **fields
        )

    first = add("Maria Lopez", "Reading this <em>before</em> my first infusion helped a lot.")
    reply = add("Tom Baker", "Same here. <strong>Keep the care card handy.</strong>", parent=first)
    other = add(
        "Priya Shah",
        'The <a href="https://www.cancer.gov/" rel="nofollow ugc">NCI pages</a> are useful too.',
        author_url="https://example.org/priya",
    )
    return [first, reply, other]
