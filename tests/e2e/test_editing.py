"""An editor writes an article in the Wagtail admin, previews it and publishes it."""

import re

from playwright.sync_api import Page, expect

from immunotherapy.models import ArticleIndexPage
from tests.e2e.helpers import (
    add_stream_block,
    admin_messages,
    admin_preview,
    admin_publish,
    admin_save_draft,
    admin_textbox,
    block_field,
    block_input,
    expect_draft_saved,
    fill_rich_text,
    publish_page_in_editor,
    wait_for_editor,
)

TITLE = "Living well during treatment"


def start_article(admin_page: Page) -> None:
    index = ArticleIndexPage.objects.get()
    admin_page.goto(f"/admin/pages/{index.pk}/")
    admin_page.get_by_role("link", name="Add child page").first.click()
    # The article index takes articles and standard pages: the editor picks the type first.
    admin_page.get_by_role("link", name=re.compile(r"^Article\b", re.IGNORECASE)).first.click()
    wait_for_editor(admin_page)
    admin_textbox(admin_page, "Title").fill(TITLE)


def test_editor_drafts_previews_and_publishes_an_article(admin_page: Page, page: Page) -> None:
    start_article(admin_page)
    admin_textbox(admin_page, "Intro").fill("Small habits that help during immunotherapy.")
    section = add_stream_block(admin_page, "body", "Section")
    block_input(section, "heading").fill("Eating well")
    fill_rich_text(block_field(section, "body"), "Small, frequent meals are easier.")

    admin_save_draft(admin_page)
    expect_draft_saved(admin_page, TITLE)
    page.goto("/articles/living-well-during-treatment/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")

    preview = admin_preview(admin_page)
    expect(preview.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(preview.get_by_role("heading", level=2, name="Eating well")).to_be_visible()

    publish_page_in_editor(admin_page, TITLE)

    page.goto("/articles/living-well-during-treatment/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("navigation", name="On this page")).to_contain_text("Eating well")
    section_region = page.get_by_role("region", name="Eating well")
    expect(section_region).to_contain_text("Small, frequent meals are easier.")
    api = page.request.get("/api/v2/pages/?type=immunotherapy.ArticlePage&fields=intro")
    assert api.ok
    titles = [item["title"] for item in api.json()["items"]]
    assert TITLE in titles


def test_publishing_without_an_intro_shows_the_field_error(admin_page: Page, page: Page) -> None:
    start_article(admin_page)
    admin_publish(admin_page)
    expect(admin_messages(admin_page)).to_contain_text("Not published: fix what is listed below")
    intro = admin_page.locator("[data-contentpath='intro']")
    expect(intro).to_contain_text("This field is required.")
    page.goto("/articles/")
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
    # Still in the editor: the create view, or the edit view when autosave has created the
    # draft already (it may or may not have, depending on what it saved first).
    expect(admin_page).to_have_url(re.compile(r"/admin/pages/(add/.+|\d+/edit/)$"))
