"""A keyboard-only reader can skip to the content, comment and reply, and always sees focus."""

import re

import pytest
from playwright.sync_api import Page, expect

from comments.models import Comment
from comments.views import PENDING_MESSAGE
from tests.e2e.helpers import (
    SEED_ARTICLE_URL,
    assert_focus_visible,
    check_public_pages,
    focus_stop,
    tab_through,
    tab_to,
)


def skip_link_comes_first_and_moves_focus_to_main(page: Page, path: str) -> None:
    page.goto(path)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


@pytest.mark.usefixtures("seed_comments")
def test_skip_link_comes_first_and_moves_focus_to_main(page: Page) -> None:
    check_public_pages(page, skip_link_comes_first_and_moves_focus_to_main)


def every_link_is_reachable_by_tab_with_visible_focus(page: Page, path: str) -> None:
    page.goto(path)
    stops = tab_through(page)
    links = page.locator("a[href]:visible")
    reached = {stop.href for stop in stops}
    missing = [
        href
        for href in links.evaluate_all("els => els.map(a => a.getAttribute('href'))")
        if href not in reached
    ]
    assert not missing, f"links never reached with Tab: {missing}"
    assert_focus_visible(stops)


@pytest.mark.usefixtures("seed_comments")
def test_every_link_is_reachable_by_tab_with_visible_focus(page: Page) -> None:
    check_public_pages(page, every_link_is_reachable_by_tab_with_visible_focus)


def test_focus_check_notices_a_missing_indicator(page: Page) -> None:
    page.goto("/")
    page.add_style_tag(content=":focus-visible { outline: none !important; box-shadow: none; }")
    page.keyboard.press("Tab")
    stop = focus_stop(page)
    assert stop is not None and stop.focus_visible
    assert not stop.indicator


def type_into(page: Page, selector: str, text: str) -> list:
    """Tab to the form field, check it is the one focused, and type into it."""
    stops = tab_to(page, selector)
    page.keyboard.type(text)
    expect(page.locator(selector)).to_have_value(text)
    return stops


@pytest.mark.usefixtures("no_flood_control")
def test_reader_comments_with_the_keyboard_only(page: Page) -> None:
    page.goto(SEED_ARTICLE_URL)
    stops = type_into(page, "#id_author_name", "Kim Keys")
    stops += type_into(page, "#id_author_email", "kim@example.org")
    stops += type_into(page, "#id_body", "Clear and kind. Thank you.")
    # One Tab from the comment to the button: the hidden honeypot field is never a stop.
    page.keyboard.press("Tab")
    submit = page.get_by_role("button", name="Post Comment")
    expect(submit).to_be_focused()
    stops.append(focus_stop(page))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(PENDING_MESSAGE)
    assert_focus_visible(stops)
    assert Comment.objects.get(author_name="Kim Keys").parent is None


@pytest.mark.usefixtures("no_flood_control")
def test_reader_replies_with_the_keyboard_only(page: Page, seed_comments: list) -> None:
    first = seed_comments[0]
    page.goto(SEED_ARTICLE_URL)
    stops = tab_to(page, f"a[href='?replytocom={first.pk}#respond']", limit=200)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"\?replytocom={first.pk}#respond$"))
    expect(page.get_by_role("group", name=f"Your reply to {first.author_name}")).to_be_visible()
    stops += type_into(page, "#id_author_name", "Kim Keys")
    stops += type_into(page, "#id_author_email", "kim@example.org")
    stops += type_into(page, "#id_body", "Thank you, that helps.")
    stops += tab_to(page, "form.comment-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(PENDING_MESSAGE)
    assert_focus_visible(stops)
    assert Comment.objects.get(author_name="Kim Keys").parent == first
