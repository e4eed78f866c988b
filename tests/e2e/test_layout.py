"""Pages fit a small phone screen and print as a clean handout."""

from datetime import date, timedelta

from wagtail.models import Page as WagtailPage

import pytest
from playwright.sync_api import Page, expect

from immunotherapy.models import MedicalReviewer
from immunotherapy.reports import review_models
from tests.e2e.helpers import (
    SEED_ARTICLE_URL,
    THERAPY_PAGE_URLS,
    assert_no_horizontal_scroll,
    assert_within_width,
    axe_check,
    check_public_pages,
    cut_off_by,
    wait_for_editor,
    words_broken_across_lines,
)

PHONE = {"width": 375, "height": 740}
A4_WIDTH = {"width": 794, "height": 1123}  # A4 at 96 dpi
# The demo page with every kind of block: agent table, questions, evidence and references.
HANDOUT_URL = THERAPY_PAGE_URLS["immune-checkpoint-inhibitors"]


def fits_the_width(page: Page, path: str) -> None:
    page.goto(path)
    assert_no_horizontal_scroll(page)


@pytest.mark.usefixtures("seed_comments")
def test_no_public_page_scrolls_sideways_on_a_phone(page: Page) -> None:
    page.set_viewport_size(PHONE)
    check_public_pages(page, fits_the_width)


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


def test_print_gives_a_clean_handout_of_a_therapy_page(page: Page) -> None:
    page.set_viewport_size(A4_WIDTH)
    page.goto(HANDOUT_URL)
    chrome = page.locator("header.site-header, footer.site-footer, .skip-link, nav").all()
    comments = page.locator("section#comments")
    answer = page.locator(".faq__item p").first
    expect(comments.locator("form.comment-form")).to_be_visible()
    expect(answer).to_be_hidden()  # on screen, questions start closed

    page.emulate_media(media="print")
    for part in [*chrome, comments]:
        expect(part).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Side effects")).to_be_visible()
    expect(page.locator(".care-card").first).to_be_visible()
    expect(answer).to_be_visible()
    references = page.get_by_role("region", name="References")
    expect(references).to_be_visible()
    expect(references.get_by_role("listitem").first).to_be_visible()
    # The medicines table prints whole, not cut off at a scrolling edge.
    last_column = page.locator(".agent-table th").filter(has_text="Used for").first
    box = last_column.bounding_box()
    assert box is not None and box["x"] + box["width"] <= A4_WIDTH["width"]


def test_medicines_table_stacks_into_labelled_rows_on_a_phone(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(HANDOUT_URL)
    row = page.locator(".agent-table tbody tr").first
    cells = row.locator("td")
    expect(cells.first).to_be_visible()
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"] - 1, "cells side by side, not stacked"
    used_for = row.locator('td[data-label="Used for"]')
    label = used_for.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Used for"'
    assert_no_horizontal_scroll(page)


def test_medicines_table_is_whole_at_desktop_width_in_a_focusable_region(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(HANDOUT_URL)
    region = page.locator(".agent-table .table-scroll").first
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_attribute("tabindex", "0")
    assert region.get_attribute("aria-label")
    clipped = region.evaluate("r => r.scrollWidth - r.clientWidth")
    assert clipped <= 0, f"the table is cut off by {clipped}px"
    region.focus()
    expect(region).to_be_focused()


def test_reviews_due_report_on_a_phone_keeps_titles_whole_and_each_date_named(
    admin_page: Page,
) -> None:
    for model in review_models():  # every demo page overdue
        model.objects.update(next_review_due=date.today() - timedelta(days=3))
    page = admin_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/admin/reports/reviews-due/")
    rows = page.locator("#listing-results tbody tr")
    expect(rows.first).to_be_visible()
    for title in rows.locator("td.title a").all():
        assert words_broken_across_lines(title) == [], "a title is broken mid-word"
    first = rows.first
    for cell in first.locator("td").all():
        assert_within_width(page, cell)
    next_due = first.locator("td").nth(2)
    label = next_due.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Next review due"'


def test_medical_reviewers_list_on_a_phone_shows_its_name_and_each_reviewer_whole(
    admin_page: Page,
) -> None:
    MedicalReviewer.objects.create(
        name="Dr Rita Reviewer",
        credentials="MD, consultant clinical oncologist",
        affiliation="St Elsewhere Cancer Centre",
    )
    page = admin_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/admin/snippets/immunotherapy/medicalreviewer/")
    title = page.get_by_role("navigation", name="Breadcrumb").get_by_text("Medical reviewers")
    expect(title).to_be_visible()
    assert cut_off_by(title) == "", "the list's name is cut off"
    expect(page.get_by_role("link", name="Add medical reviewer")).to_be_in_viewport(ratio=1)
    row = page.locator("#listing-results tbody tr").filter(has_text="Dr Rita Reviewer")
    assert words_broken_across_lines(row.get_by_role("link", name="Dr Rita Reviewer")) == []
    for cell in row.locator("td:visible").all():  # an empty value (no user linked) is left out
        assert_within_width(page, cell)
    affiliation = row.locator("td").filter(has_text="St Elsewhere Cancer Centre")
    label = affiliation.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Affiliation"'


def test_the_block_picker_fits_a_phone(admin_page: Page) -> None:
    # Each therapy type's picker: its longest block name ("CRS and ICANS monitoring") sets the
    # width of Wagtail's columns.
    admin_page.set_viewport_size(PHONE)
    for slug in THERAPY_PAGE_URLS:
        therapy = WagtailPage.objects.get(slug=slug)
        admin_page.goto(f"/admin/pages/{therapy.pk}/edit/")
        wait_for_editor(admin_page)
        admin_page.locator("[data-contentpath='body'] .c-sf-add-button").last.click()
        expect(admin_page.get_by_role("listbox").get_by_role("option").first).to_be_visible()
        picker = admin_page.locator(".w-combobox-container")
        assert_within_width(admin_page, picker)
        box = picker.bounding_box()
        assert box is not None
        left, right = box["x"], box["x"] + box["width"]
        for row in admin_page.locator(".w-combobox__option-row").all():
            row_box = row.bounding_box()  # inside the picker's box, not beside it over the page
            assert row_box is not None
            inside = left <= row_box["x"] and row_box["x"] + row_box["width"] <= right
            assert inside, f"{slug}: {row.inner_text()!r} lies outside the picker"


def test_an_empty_rich_text_box_on_a_phone_shows_its_whole_hint(admin_page: Page) -> None:
    therapy = WagtailPage.objects.get(slug=next(iter(THERAPY_PAGE_URLS)))
    admin_page.set_viewport_size(PHONE)
    admin_page.goto(f"/admin/pages/{therapy.pk}/edit/")
    wait_for_editor(admin_page)
    admin_page.locator("[data-contentpath='body'] .c-sf-add-button").first.click()
    admin_page.get_by_role("option", name="Care card").click()
    card = admin_page.locator("[data-contentpath='body'] [data-streamfield-child]").first
    body = card.locator(".DraftEditor-root").first
    expect(body.locator(".Draftail-block--empty")).to_be_visible()
    # The hint wraps to two lines at this width; the box grows to show both.
    assert body.evaluate("box => box.scrollHeight <= box.clientHeight"), "the hint is cut off"
    axe_check(admin_page)
    # Typing still goes into the box, and the hint comes back when it is emptied.
    body.locator(".public-DraftEditor-content").click()
    admin_page.keyboard.type("Call 999 now.")
    expect(body).to_have_text("Call 999 now.")
    admin_page.keyboard.press("Control+a")
    admin_page.keyboard.press("Backspace")
    expect(body.locator(".Draftail-block--empty")).to_be_visible()
