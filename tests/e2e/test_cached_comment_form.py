"""The comment form works on a page served from the shared page cache, for every reader.

The cached page carries no CSRF token; the form's script fetches one. When that fails, the
post comes back with the reader's text and a fresh token, and posting again works.
"""

import re

import pytest
from playwright.sync_api import Page, Route, expect

from comments.views import EXPIRED_MESSAGE, PENDING_MESSAGE
from tests.e2e.helpers import SEED_ARTICLE_URL
from tests.e2e.test_comments import post_comment

pytestmark = pytest.mark.usefixtures("no_flood_control")


def open_cached_article(page: Page) -> None:
    response = page.goto(SEED_ARTICLE_URL)
    assert response is not None
    assert response.headers.get("x-cache") == "HIT", "the page did not come from the cache"


def test_readers_post_from_a_cached_page(page: Page, new_page) -> None:
    first_reader = new_page()
    first_reader.goto(SEED_ARTICLE_URL)  # renders the page and keeps it for everyone

    open_cached_article(page)
    post_comment(page, "Cai Reader", "Posted from the cached page.")
    expect(page).to_have_url(re.compile(re.escape(SEED_ARTICLE_URL) + "#respond$"))
    expect(page.get_by_role("status")).to_have_text(PENDING_MESSAGE)

    # The message was for that reader alone: the next reader gets the shared page without it.
    other = new_page()
    open_cached_article(other)
    expect(other.get_by_role("status")).to_have_count(0)
    post_comment(other, "Dana Reader", "A second reader, same cached page.")
    expect(other.get_by_role("status")).to_have_text(PENDING_MESSAGE)


def test_without_a_token_the_reader_gets_the_form_back_with_their_text(
    page: Page, new_page
) -> None:
    new_page().goto(SEED_ARTICLE_URL)
    page.route("**/comments/csrf/", lambda route: route.abort())  # the token never arrives
    open_cached_article(page)
    text = "My long comment that must not be lost."
    post_comment(page, "Eli Reader", text)

    alert = page.get_by_role("alert")
    expect(alert).to_have_text(EXPIRED_MESSAGE)
    expect(page.get_by_role("textbox", name="Comment")).to_have_value(text)
    expect(page.get_by_role("textbox", name="Name")).to_have_value("Eli Reader")

    page.get_by_role("button", name="Post Comment").click()
    expect(page.get_by_role("status")).to_have_text(PENDING_MESSAGE)


def test_a_reader_faster_than_the_token_waits_for_it(page: Page, new_page) -> None:
    new_page().goto(SEED_ARTICLE_URL)
    held: list[Route] = []
    # No answer until the reader has pressed Post.
    page.route("**/comments/csrf/", lambda route: held.append(route))
    open_cached_article(page)
    post_comment(page, "Fay Reader", "Sent before the token came.")
    expect(page).to_have_url(re.compile(re.escape(SEED_ARTICLE_URL) + "$"))  # not sent yet
    assert len(held) == 1
    held[0].continue_()
    expect(page.get_by_role("status")).to_have_text(PENDING_MESSAGE)
