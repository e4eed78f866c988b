"""A reader finds the seed article from the home page and moves around it."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import SEED_ARTICLE_URL, THERAPY_PAGE_URLS, screenshot
from tests.immunotherapy.test_demo_content import SEED_HEADINGS, SEED_TITLE
from tests.immunotherapy.test_therapy_pages import PLUGIN_HEADINGS


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
    # The seven sections, the research block, the reference list and the related therapy types.
    after_body = ["The research behind this article", "References", "Related therapy types"]
    expect(links).to_have_text([*SEED_HEADINGS, *after_body])
    for n, heading in enumerate([*SEED_HEADINGS, *after_body]):
        page.evaluate("() => window.scrollTo(0, 0)")
        links.nth(n).click()
        target = page.get_by_role("heading", level=2, name=heading, exact=True)
        expect(page).to_have_url(re.compile(f"#{links.nth(n).get_attribute('href')[1:]}$"))
        expect(target).to_be_in_viewport()


@pytest.mark.parametrize("slug", THERAPY_PAGE_URLS)
def test_on_this_page_reaches_every_headed_block_of_a_therapy_page(page: Page, slug: str) -> None:
    page.goto(THERAPY_PAGE_URLS[slug])
    links = page.get_by_role("navigation", name="On this page").get_by_role("link")
    names = links.all_inner_texts()
    # The shared blocks and the plugin's own (checkpoints, CAR-T, vaccines, regimens...).
    for expected in ("Side effects", "Questions people ask", *PLUGIN_HEADINGS[slug]):
        assert expected in names, names
    assert names[-1] == "References"
    for n, name in enumerate(names):
        page.evaluate("() => window.scrollTo(0, 0)")
        links.nth(n).click()
        anchor = links.nth(n).get_attribute("href")[1:]
        target = page.locator(f"[id='{anchor}']").locator("xpath=self::h2 | .//h2").first
        expect(target).to_have_text(name)
        expect(target).to_be_in_viewport()


def test_glossary_terms_open_by_tap_and_by_keyboard(new_page) -> None:
    page = new_page(has_touch=True, viewport={"width": 390, "height": 844})
    page.goto(THERAPY_PAGE_URLS["immune-checkpoint-inhibitors"])
    term = page.locator(".glossary-term").first
    button = term.get_by_role("button")
    definition = term.locator(".glossary-term__definition")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(definition).to_be_hidden()
    button.tap()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(definition).to_be_visible()
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(definition).to_be_hidden()
    page.keyboard.press("Space")
    expect(definition).to_be_visible()
    assert page.locator("abbr[title]").count() == 0  # no hover-only definitions


def test_seed_article_shows_who_reviewed_it_and_its_sources(page: Page) -> None:
    page.goto(SEED_ARTICLE_URL)
    expect(page.locator(".medical-review")).to_contain_text(
        re.compile(r"Medically reviewed by Dr Amara Okafor.* on \d+ \w+ \d{4}")
    )
    references = page.get_by_role("region", name="References")
    expect(references.get_by_role("listitem")).to_have_count(4)
    expect(references).not_to_contain_text("et al..")


def test_every_footer_links_about_policy_and_contact_and_the_favicon_loads(page: Page) -> None:
    for path in ("/", SEED_ARTICLE_URL, THERAPY_PAGE_URLS["cancer-vaccines"]):
        page.goto(path)
        footer = page.get_by_role("navigation", name="About this site")
        expect(footer.get_by_role("link")).to_have_text(
            ["About this guide", "Editorial policy", "Contact us"]
        )
    footer.get_by_role("link", name="Editorial policy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Editorial policy")
    favicon = page.request.get("/favicon.ico")
    assert favicon.status == 200 and favicon.headers["content-type"].startswith("image/")


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
