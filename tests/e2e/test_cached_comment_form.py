"""The comment form works on a page served from the shared page cache, for every reader.

The cached page carries no CSRF token and an anonymous reader's post needs none, so a reader
posts once, with or without JavaScript. A signed-in reader's page is their own, with a token;
when it has expired, they get the form back with their text and post again.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from comments.views import EXPIRED_MESSAGE, PENDING_MESSAGE
from tests.e2e.helpers import SEED_ARTICLE_URL
from tests.e2e.test_comments import comment_card, post_comment

pytestmark = pytest.mark.usefixtures("no_flood_control")


def open_cached_article(page: Page) -> None:
    response = page.goto(SEED_ARTICLE_URL)
    assert response is not None
    assert response.headers.get("x-cache") == "HIT", "the page did not come from the cache"


@pytest.mark.parametrize("javascript", [False, True], ids=["without-javascript", "with-javascript"])
def test_a_reader_posts_once_from_the_cached_page(new_page, javascript: bool) -> None:
    # The first reader's visit renders the page and keeps it for everyone. (A second visit in
    # the same tab would be the browser's own copy, revalidated with a 304.)
    new_page(java_script_enabled=javascript).goto(SEED_ARTICLE_URL)
    page = new_page(java_script_enabled=javascript)
    open_cached_article(page)
    post_comment(page, "Cai Reader", "Posted from the cached page.")

    expect(page).to_have_url(re.compile(re.escape(SEED_ARTICLE_URL) + "#respond$"))
    expect(page.get_by_role("status")).to_have_text(PENDING_MESSAGE)
    expect(page.get_by_role("alert")).to_have_count(0)  # taken the first time
    expect(comment_card(page, "Posted from the cached page.")).to_have_count(0)  # held

    # The message was for that reader alone: the next reader gets the shared page without it,
    # and posts from it just the same.
    other = new_page(java_script_enabled=javascript)
    open_cached_article(other)
    expect(other.get_by_role("status")).to_have_count(0)
    post_comment(other, "Dana Reader", "A second reader, same cached page.")
    expect(other.get_by_role("status")).to_have_text(PENDING_MESSAGE)


def test_a_signed_in_reader_whose_token_expired_gets_the_form_back_with_their_text(
    admin_page: Page,
) -> None:
    page = admin_page
    page.goto(SEED_ARTICLE_URL)
    post_comment(page, "Eli Reader", "Signed in, posted with my token.")
    expect(page.get_by_role("status")).to_have_text(PENDING_MESSAGE)

    page.context.clear_cookies(name="csrftoken")  # as when it has expired
    text = "My long comment that must not be lost."
    post_comment(page, "Eli Reader", text)
    expect(page.get_by_role("alert")).to_have_text(EXPIRED_MESSAGE)
    expect(page.get_by_role("textbox", name="Comment")).to_have_value(text)
    expect(page.get_by_role("textbox", name="Name")).to_have_value("Eli Reader")

    page.get_by_role("button", name="Post Comment").click()
    expect(page.get_by_role("status")).to_have_text(PENDING_MESSAGE)
