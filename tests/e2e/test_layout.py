"""Pages fit a small phone screen and print as a clean handout."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import PUBLIC_PAGES, SEED_ARTICLE_URL, assert_no_horizontal_scroll

PHONE = {"width": 375, "height": 740}


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
@pytest.mark.usefixtures("seed_comments")
def test_page_does_not_scroll_sideways_on_a_phone(page: Page, path: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(path)
    assert_no_horizontal_scroll(page)


def test_horizontal_scroll_check_names_the_wide_element(page: Page) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend', "
        "'<pre id=too-wide style=\"white-space:pre\">' + 'x'.repeat(200) + '</pre>')"
    )
    with pytest.raises(AssertionError, match="too-wide"):
        assert_no_horizontal_scroll(page)


def test_print_shows_the_article_without_site_chrome(page: Page) -> None:
    page.goto(SEED_ARTICLE_URL)
    # Header, footer, skip link and every navigation (main menu, breadcrumbs, contents).
    chrome = page.locator("header.site-header, footer.site-footer, .skip-link, nav").all()
    assert len(chrome) >= 6
    page.emulate_media(media="print")
    for part in chrome:
        expect(part).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".block-section h2").first).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator("header.site-header")).to_be_visible()
