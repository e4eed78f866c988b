"""An editor starting a therapy page sees the publishing rules and block previews up front,
and a refused submit says what happened to the draft."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from immunotherapy.models import TherapyIndexPage
from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
from tests.e2e.helpers import (
    add_stream_block,
    admin_action,
    admin_messages,
    admin_textbox,
    block_field,
    block_input,
    edit_and_wait_for_autosave,
    fill_rich_text,
    signed_in_member,
    wait_for_editor,
)
from tests.factories import section_block, side_effects_block

USERNAME = "e2e-guided-editor"
ADD_PATH = "/admin/pages/add/checkpoint_inhibitors/checkpointinhibitorpage/{}/"


@pytest.fixture
def editor_page(new_page: Callable[..., Page]) -> Page:
    """A tab signed in as a member of Wagtail's "Editors" group."""
    return signed_in_member(new_page(), USERNAME, "Editors")


def test_an_editor_sees_the_rules_and_block_previews_before_writing(editor_page: Page) -> None:
    editor_page.goto(ADD_PATH.format(TherapyIndexPage.objects.get().pk))
    wait_for_editor(editor_page)

    checklist = editor_page.locator("[data-publishing-checklist]")
    expect(checklist).to_contain_text("✗ A side effects block (missing)")
    expect(checklist).to_contain_text("✗ A care card with level urgent or emergency (missing)")
    expect(
        editor_page.get_by_text("Before review the body needs a side effects block")
    ).to_be_visible()

    body = editor_page.locator("[data-contentpath='body']").first
    body.locator("[data-streamfield-stream-container] .c-sf-add-button").last.click()
    option = editor_page.get_by_role("option", name="Side effects", exact=True)
    expect(option).to_be_visible()
    expect(editor_page.get_by_role("option", name="FAQ", exact=True)).to_be_visible()
    expect(editor_page.get_by_role("option", name="Evidence summary", exact=True)).to_be_visible()
    row = editor_page.locator(".w-combobox__option-row", has=option)
    row.locator(".w-combobox__option-preview").click()
    expect(
        editor_page.get_by_text("Side effects by organ system, with grade, management")
    ).to_be_visible()
    preview = editor_page.frame_locator("iframe[src*='block-preview']")
    expect(preview.get_by_text("Colitis")).to_be_visible()
    option.click()
    # A block left blank does not count; its first side effect, once named, does.
    expect(checklist).to_contain_text("✗ A side effects block (missing)")
    side_effects = body.locator("[data-streamfield-child]").last
    block_input(side_effects, "name").fill("Colitis")
    expect(checklist).to_contain_text("✓ A side effects block (added)")
    expect(checklist).to_contain_text("✗ A care card with level urgent or emergency (missing)")

    admin_textbox(editor_page, "Title").fill("Guided page")
    admin_textbox(editor_page, "Summary").fill("What to expect.")
    admin_action(editor_page, "Submit to Medical review")
    messages = admin_messages(editor_page)
    expect(messages).to_contain_text("Not submitted for review: fix what is listed below")
    expect(messages).not_to_contain_text("could not be saved")
    expect(editor_page.locator("[data-contentpath='body']").first).to_contain_text(
        "Add a care card with level urgent or emergency"
    )


def test_an_urgent_care_card_ticks_the_checklist_once_it_says_something(editor_page: Page) -> None:
    editor_page.goto(ADD_PATH.format(TherapyIndexPage.objects.get().pk))
    wait_for_editor(editor_page)
    checklist = editor_page.locator("[data-publishing-checklist]")

    card = add_stream_block(editor_page, "body", "Care card")
    expect(block_input(card, "level")).to_have_value("urgent")
    expect(checklist).to_contain_text("✗ A care card with level urgent or emergency (missing)")
    block_input(card, "heading").fill("Call your team now")
    expect(checklist).to_contain_text("✗ A care card with level urgent or emergency (missing)")
    fill_rich_text(block_field(card, "body"), "If you have a fever.")
    expect(checklist).to_contain_text("✓ A care card with level urgent or emergency (added)")

    block_input(card, "level").select_option("non_urgent")
    expect(checklist).to_contain_text("✗ A care card with level urgent or emergency (missing)")


def test_edits_after_a_refused_submit_are_autosaved(editor_page: Page) -> None:
    # A draft without the urgent care card the medical review needs.
    page = CheckpointInhibitorPage(
        title="Page without a care card",
        summary="What to expect.",
        body=[section_block("How it works"), side_effects_block()],
        live=False,
    )
    TherapyIndexPage.objects.get().add_child(instance=page)
    page.save_revision()
    edit_url = f"/admin/pages/{page.pk}/edit/"
    editor_page.goto(edit_url)
    wait_for_editor(editor_page)
    admin_action(editor_page, "Submit to Medical review")
    expect(admin_messages(editor_page)).to_contain_text("Not submitted for review")

    summary = admin_textbox(editor_page, "Summary")
    edit_and_wait_for_autosave(editor_page, lambda: summary.fill("Edited after the refusal."))

    # Opened again (a reload would send the refused form once more).
    editor_page.goto(edit_url)
    wait_for_editor(editor_page)
    expect(admin_textbox(editor_page, "Summary")).to_have_value("Edited after the refusal.")
