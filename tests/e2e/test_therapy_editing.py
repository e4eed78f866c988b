"""An editor builds a page of each built-in therapy type in the Wagtail admin and submits it to
medical review; a medical reviewer approves it, which publishes it."""

from collections.abc import Callable

from wagtail.models import Page as WagtailPage

import pytest
from playwright.sync_api import Page, expect

from immunotherapy.blocks.streams import MISSING_URGENT_CARE
from immunotherapy.models import TherapyIndexPage
from immunotherapy.plugins import DEFAULT_PLUGINS
from immunotherapy.registry import TherapyType, registry
from tests.e2e.helpers import (
    DEMO_DATA,
    THERAPY_INDEX_URL,
    add_stream_block,
    admin_messages,
    admin_preview,
    admin_publish,
    admin_save_draft,
    admin_textbox,
    approve_review,
    block_field,
    block_input,
    choose_in_chooser,
    expect_draft_saved,
    fill_rich_text,
    signed_in_member,
    submit_for_review,
    wait_for_editor,
)

BUILT_IN_TYPES = [t for t in registry if t.plugin in DEFAULT_PLUGINS]
# An agent from the demo snippets that belongs on each type's page (any agent would do).
AGENT_FOR_TYPE = {
    "checkpoint-inhibitors": "nivolumab",
    "adoptive-cell-therapy": "tisagenlecleucel",
    "cancer-vaccines": "sipuleucel-T",
    "combination-therapies": "ipilimumab",
}
# The demo page of each type brings its illustration; an editor reuses it.
IMAGE_FOR_TYPE = {
    t["type"]: t["hero_image"]["title"] for t in DEMO_DATA["therapies"] if "hero_image" in t
}
ANY_IMAGE = next(iter(IMAGE_FOR_TYPE.values()))
ALT_TEXT = "Illustration of immune cells meeting a cancer cell."
SECTION_HEADING = "Before your first treatment"
SIDE_EFFECT = "Skin rash"
CARE_HEADING = "Call 999 straight away if"
EDITOR_USERNAME = "e2e-editor"
REVIEWER_USERNAME = "e2e-reviewer"
REVIEWER_NAME = "Rita Reviewer"


@pytest.fixture
def editor_page(new_page: Callable[..., Page]) -> Page:
    """A tab signed in as a member of Wagtail's "Editors" group (no publish permission)."""
    return signed_in_member(new_page(), EDITOR_USERNAME, "Editors")


@pytest.fixture
def reviewer_page(new_page: Callable[..., Page]) -> Page:
    """A tab signed in as a member of the "Medical reviewers" group, named REVIEWER_NAME."""
    first, last = REVIEWER_NAME.split()
    return signed_in_member(
        new_page(),
        REVIEWER_USERNAME,
        "Medical reviewers",
        first_name=first,
        last_name=last,
    )


def start_therapy_page(admin_page: Page, therapy_type: TherapyType, title: str) -> None:
    """Open the editor for a new page of this type under the therapy index."""
    index = TherapyIndexPage.objects.get()
    admin_page.goto(f"/admin/pages/{index.pk}/")
    admin_page.get_by_role("link", name="Add child page").first.click()
    verbose_name = therapy_type.page_model._meta.verbose_name
    admin_page.get_by_role("link", name=verbose_name.capitalize(), exact=True).click()
    wait_for_editor(admin_page)
    admin_textbox(admin_page, "Title").fill(title)
    admin_textbox(admin_page, "Summary").fill(f"What to expect from {therapy_type.label.lower()}.")


def add_section(admin_page: Page) -> None:
    section = add_stream_block(admin_page, "body", "Section")
    block_input(section, "heading").fill(SECTION_HEADING)
    fill_rich_text(block_field(section, "body"), "Write down your questions for the team.")


def add_agent_table(admin_page: Page, agent: str) -> None:
    table = add_stream_block(admin_page, "body", "Agent table")
    choose_in_chooser(admin_page, block_field(table, "agents"), "Choose agent", agent)


def add_side_effects(admin_page: Page) -> None:
    side_effects = add_stream_block(admin_page, "body", "Side effects")
    effect = block_field(side_effects, "effects")
    block_input(effect, "organ_system").select_option(label="Skin")
    block_input(effect, "name").fill(SIDE_EFFECT)
    block_input(effect, "symptoms").fill("Itchy, red or dry skin.")
    block_input(effect, "grade").select_option(label="Grade 1 (mild)")
    fill_rich_text(block_field(effect, "management"), "Use a gentle moisturiser twice a day.")
    block_input(effect, "seek_urgent_care").fill("Blisters, peeling skin or sores in the mouth.")


def add_figure(admin_page: Page, image_title: str) -> None:
    figure = add_stream_block(admin_page, "body", "Figure")
    choose_in_chooser(admin_page, block_field(figure, "image"), "Choose an image", image_title)
    block_input(figure, "alt_text").fill(ALT_TEXT)


def add_emergency_care_card(admin_page: Page) -> None:
    card = add_stream_block(admin_page, "body", "Care card")
    block_input(card, "level").select_option("emergency")
    block_input(card, "heading").fill(CARE_HEADING)
    fill_rich_text(block_field(card, "body"), "You are struggling to breathe.")


@pytest.mark.parametrize("therapy_type", BUILT_IN_TYPES, ids=lambda t: t.slug)
def test_editor_builds_and_submits_a_therapy_page_and_a_reviewer_approves_it(
    editor_page: Page, reviewer_page: Page, page: Page, therapy_type: TherapyType
) -> None:
    title = f"Starting {therapy_type.label.lower()}"
    agent = AGENT_FOR_TYPE.get(therapy_type.slug, "pembrolizumab")
    start_therapy_page(editor_page, therapy_type, title)
    add_section(editor_page)
    add_agent_table(editor_page, agent)
    add_side_effects(editor_page)
    add_figure(editor_page, IMAGE_FOR_TYPE.get(therapy_type.slug, ANY_IMAGE))
    add_emergency_care_card(editor_page)

    admin_save_draft(editor_page)
    expect_draft_saved(editor_page, title)
    page.goto(THERAPY_INDEX_URL)
    expect(page.get_by_role("link", name=title)).to_have_count(0)

    preview = admin_preview(editor_page)
    expect(preview.get_by_role("heading", level=1)).to_have_text(title)
    expect(preview.get_by_role("heading", level=2, name=SECTION_HEADING)).to_be_visible()
    expect(preview.get_by_role("rowheader", name=agent)).to_be_visible()
    expect(preview.get_by_role("img", name=ALT_TEXT)).to_be_visible()

    submit_for_review(editor_page, title)
    page.goto(THERAPY_INDEX_URL)
    expect(page.get_by_role("link", name=title)).to_have_count(0)

    approve_review(reviewer_page, WagtailPage.objects.get(title=title).pk, title)

    page.goto(THERAPY_INDEX_URL)
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".eyebrow").first).to_have_text(therapy_type.label)
    expect(page.get_by_role("region", name=SECTION_HEADING)).to_be_visible()
    expect(page.get_by_role("rowheader", name=agent)).to_be_visible()
    expect(page.get_by_role("img", name=ALT_TEXT)).to_be_visible()
    expect(page.get_by_text(SIDE_EFFECT)).to_be_visible()
    expect(page.get_by_role("heading", name=CARE_HEADING)).to_be_visible()
    expect(page.get_by_role("link", name=CARE_HEADING)).to_be_visible()  # in "On this page"
    expect(page.get_by_text(f"Medically reviewed by {REVIEWER_NAME}, MD")).to_be_visible()

    model = therapy_type.page_model._meta.label
    api = page.request.get(f"/api/v2/pages/?type={model}&fields=body,reviewed_by")
    assert api.ok
    (item,) = [item for item in api.json()["items"] if item["title"] == title]
    assert [block["type"] for block in item["body"]] == [
        "section",
        "agent_table",
        "side_effects",
        "figure",
        "care_card",
    ]
    assert item["reviewed_by"]["name"] == REVIEWER_NAME


def test_publishing_without_a_care_card_names_the_missing_block(
    admin_page: Page, page: Page
) -> None:
    therapy_type = BUILT_IN_TYPES[0]
    title = "Not ready yet"
    start_therapy_page(admin_page, therapy_type, title)
    add_side_effects(admin_page)
    admin_publish(admin_page)
    expect(admin_messages(admin_page)).to_contain_text("Not published: fix what is listed below")
    expect(admin_page.locator("[data-contentpath='body']").first).to_contain_text(
        MISSING_URGENT_CARE
    )
    page.goto(THERAPY_INDEX_URL)
    expect(page.get_by_role("link", name=title)).to_have_count(0)
