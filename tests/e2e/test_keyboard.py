"""A keyboard-only reader can skip to the content and always sees where focus is."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import PUBLIC_PAGES, focus_stop, tab_through


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
@pytest.mark.usefixtures("seed_comments")
def test_skip_link_comes_first_and_moves_focus_to_main(page: Page, path: str) -> None:
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


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
@pytest.mark.usefixtures("seed_comments")
def test_every_link_is_reachable_by_tab_with_visible_focus(page: Page, path: str) -> None:
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
    invisible = [str(stop) for stop in stops if not (stop.focus_visible and stop.indicator)]
    assert not invisible, f"focus cannot be seen on: {invisible}"


def test_focus_check_notices_a_missing_indicator(page: Page) -> None:
    page.goto("/")
    page.add_style_tag(content=":focus-visible { outline: none !important; box-shadow: none; }")
    page.keyboard.press("Tab")
    stop = focus_stop(page)
    assert stop is not None and stop.focus_visible
    assert not stop.indicator
