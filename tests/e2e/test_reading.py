"""A reader finds the seed article from the home page and moves around it."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import SEED_ARTICLE_URL, THERAPY_PAGE_URLS, screenshot
from tests.immunotherapy.test_demo_content import SEED_HEADINGS, SEED_TITLE


def test_home_page_leads_to_the_seed_article(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_title(re.compile("Immunotherapy Guide"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("link", name=SEED_TITLE).click()
    expect(page).to_have_url(re.compile(re.escape(SEED_ARTICLE_URL) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)


def test_article_shows_title_and_seven_sections(page: Page) -> None:
    page.goto(SEED_ARTICLE_URL)
    expect(page).to_have_title(re.compile("^" + re.escape(SEED_TITLE)))
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    expect(page.locator(".block-section h2")).to_have_text(SEED_HEADINGS)


def test_table_of_contents_jumps_to_each_section(page: Page) -> None:
    page.goto(SEED_ARTICLE_URL)
    toc = page.get_by_role("navigation", name="On this page")
    links = toc.get_by_role("link")
    expect(links).to_have_text(SEED_HEADINGS)
    for n, heading in enumerate(SEED_HEADINGS):
        page.evaluate("() => window.scrollTo(0, 0)")
        links.nth(n).click()
        target = page.get_by_role("heading", level=2, name=heading, exact=True)
        anchor = target.get_attribute("id")
        expect(page).to_have_url(re.compile(f"#{anchor}$"))
        expect(target).to_be_in_viewport()


def test_unknown_address_shows_the_friendly_404(page: Page) -> None:
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.get_by_role("link", name="Go to the home page").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_screenshot_home_therapy_and_article_with_comments(page: Page, seed_comments) -> None:
    page.goto("/")
    expect(page.get_by_role("link", name=SEED_TITLE)).to_be_visible()
    assert screenshot(page, "home").stat().st_size > 10_000
    page.goto(THERAPY_PAGE_URLS["immune-checkpoint-inhibitors"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Immune checkpoint inhibitors")
    assert screenshot(page, "therapy").stat().st_size > 10_000
    page.goto(SEED_ARTICLE_URL + "#comments")
    heading = page.get_by_role("heading", name=re.compile(r"^3 comments on"))
    expect(heading).to_be_in_viewport()
    assert screenshot(page, "article-comments").stat().st_size > 10_000
