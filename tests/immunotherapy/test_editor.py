"""The page editor as editors meet it: the publishing checklist and what a refusal says."""

import re

from django.contrib.messages import get_messages

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from immunotherapy.blocks.streams import MISSING_URGENT_CARE
from immunotherapy.models import StandardPage
from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
from tests.factories import ADD_URL, add_form, care_card, side_effects

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def checklist(html: str) -> str:
    start = html.index("data-publishing-checklist")
    return text_of(html[start : html.index("</div>", start)])


def test_the_add_form_shows_the_rules_before_anything_fails(client, editor, therapy_index):
    client.force_login(editor)
    html = client.get(ADD_URL.format(therapy_index.pk)).content.decode()
    assert "Publishing checklist" in html
    assert "✗ A side effects block (missing)" in checklist(html)
    assert "✗ A care card with level urgent or emergency (missing)" in checklist(html)
    assert "Before review the body needs a side effects block and a care card" in html


def test_an_editors_refused_submit_says_the_draft_is_kept_and_what_is_missing(
    client, editor, therapy_index
):
    client.force_login(editor)
    client.post(ADD_URL.format(therapy_index.pk), add_form("Checkpoint inhibitors", []))
    page = CheckpointInhibitorPage.objects.get()
    edit_url = f"/admin/pages/{page.pk}/edit/"

    data = {**add_form("Checkpoint inhibitors", [side_effects()]), "action-submit": "1"}
    html = client.post(edit_url, data).content.decode()

    text = text_of(html)
    assert "Not submitted for review: fix what is listed below, then try again." in text
    assert "Your draft saved at" in text and "is kept" in text
    assert "could not be saved" not in text
    assert "published" not in text.split("Not submitted for review", 1)[1][:300]
    assert MISSING_URGENT_CARE in html
    # The checklist reflects what was just sent.
    assert "✓ A side effects block" in checklist(html)
    assert "✗ A care card with level urgent or emergency (missing)" in checklist(html)
    page.refresh_from_db()
    assert page.current_workflow_state is None


def submit_then_autosave_a_new_page(client, therapy_index, title: str) -> str:
    """Submit a new page with an empty body (refused), then post the same form as autosave
    does, as a draft; returns the text of the refusal's page."""
    data = add_form(title, [])
    url = ADD_URL.format(therapy_index.pk)
    refused = text_of(client.post(url, {**data, "action-submit": "1"}).content.decode())
    assert not CheckpointInhibitorPage.objects.exists()  # until autosave sends the form
    client.post(url, data)
    return refused


def test_a_refused_submit_of_a_new_page_says_autosave_keeps_it_as_a_draft(
    client, editor, therapy_index
):
    client.force_login(editor)
    refused = submit_then_autosave_a_new_page(client, therapy_index, "Checkpoint inhibitors")
    assert (
        "Not submitted for review: fix what is listed below, then try again. This new page is"
        " saved as a draft as you edit."
    ) in refused
    # Autosave's save created the page.
    assert CheckpointInhibitorPage.objects.get().title == "Checkpoint inhibitors"


def test_a_refused_submit_of_a_new_page_without_a_title_says_nothing_is_saved(
    client, editor, therapy_index
):
    client.force_login(editor)
    refused = submit_then_autosave_a_new_page(client, therapy_index, "")
    assert (
        "Not submitted for review: fix what is listed below, then try again. Nothing is saved"
        " until the page can be kept as a draft (its title, at least)."
    ) in refused
    assert "saved as a draft as you edit" not in refused
    # Autosave cannot keep it either.
    assert not CheckpointInhibitorPage.objects.exists()


def test_a_refused_publish_says_not_published(admin_client, therapy_index):
    admin_client.post(ADD_URL.format(therapy_index.pk), add_form("Checkpoint inhibitors", []))
    page = CheckpointInhibitorPage.objects.get()
    data = {**add_form("Checkpoint inhibitors", [care_card("urgent")]), "action-publish": "1"}
    html = admin_client.post(f"/admin/pages/{page.pk}/edit/", data).content.decode()
    assert "Not published: fix what is listed below" in text_of(html)
    assert not CheckpointInhibitorPage.objects.get().live


def test_a_complete_body_ticks_every_rule(client, editor, therapy_index):
    client.force_login(editor)
    data = add_form("Checkpoint inhibitors", [side_effects(), care_card("emergency")])
    client.post(ADD_URL.format(therapy_index.pk), data)
    page = CheckpointInhibitorPage.objects.get()
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "✗" not in checklist(html)
    assert "✓ A care card with level urgent or emergency" in checklist(html)


def blank_section() -> tuple:
    return ("section", {"heading": "", "anchor": "", "body": rich_text("")})


def test_a_blank_section_inserted_by_mistake_is_not_kept_by_a_draft_save(
    client, editor, therapy_index
):
    client.force_login(editor)
    data = add_form("Checkpoint inhibitors", [blank_section(), side_effects()])
    response = client.post(ADD_URL.format(therapy_index.pk), data)
    assert response.status_code == 302
    page = CheckpointInhibitorPage.objects.get()
    body = page.get_latest_revision_as_object().body
    assert [block.block_type for block in body] == ["side_effects"]


def shown_messages(response) -> list[str]:
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def test_saving_a_draft_says_which_blank_blocks_were_removed(client, editor, therapy_index):
    client.force_login(editor)
    client.post(ADD_URL.format(therapy_index.pk), add_form("Checkpoint inhibitors", []))
    page = CheckpointInhibitorPage.objects.get()
    blank_card = ("care_card", {"level": "urgent", "heading": "", "body": rich_text("")})
    data = add_form("Checkpoint inhibitors", [blank_section(), side_effects(), blank_card])
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302
    assert "Removed 2 empty blocks: Section, Care card." in shown_messages(response)
    page.refresh_from_db()
    body = page.get_latest_revision_as_object().body
    assert [block.block_type for block in body] == ["side_effects"]


def test_autosave_keeps_quiet_about_blank_blocks(client, editor, therapy_index):
    client.force_login(editor)
    client.post(ADD_URL.format(therapy_index.pk), add_form("Checkpoint inhibitors", []))
    page = CheckpointInhibitorPage.objects.get()
    data = add_form("Checkpoint inhibitors", [blank_section(), side_effects()])
    url = f"/admin/pages/{page.pk}/edit/"
    response = client.post(url, data, HTTP_ACCEPT="application/json")
    assert response.json()["success"] is True
    assert not [m for m in shown_messages(response) if "empty block" in m]


def test_a_save_without_blank_blocks_mentions_none(client, editor, therapy_index):
    client.force_login(editor)
    data = add_form("Checkpoint inhibitors", [side_effects()])
    response = client.post(ADD_URL.format(therapy_index.pk), data)
    assert response.status_code == 302
    assert not [m for m in shown_messages(response) if "empty block" in m]


def test_a_standard_page_save_says_which_blank_blocks_were_removed(admin_client, home_page):
    data = nested_form_data(
        {
            "title": "About us",
            "slug": "about",
            "intro": "",
            "body": streamfield([blank_section(), ("paragraph", rich_text("<p>Kept.</p>"))]),
            "comments": inline_formset([]),
        }
    )
    url = f"/admin/pages/add/immunotherapy/standardpage/{home_page.pk}/"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert "Removed 1 empty block: Section." in shown_messages(response)
    body = StandardPage.objects.get().get_latest_revision_as_object().body
    assert [block.block_type for block in body] == ["paragraph"]


def test_a_blank_section_is_dropped_and_does_not_block_a_submit(client, editor, therapy_index):
    client.force_login(editor)
    blocks = [side_effects(), blank_section(), care_card("urgent")]
    data = {**add_form("Checkpoint inhibitors", blocks), "action-submit": "1"}
    response = client.post(ADD_URL.format(therapy_index.pk), data)
    assert response.status_code == 302
    assert "Removed 1 empty block: Section." in shown_messages(response)
    page = CheckpointInhibitorPage.objects.get()
    assert page.current_workflow_state is not None
    body = page.get_latest_revision_as_object().body
    assert [block.block_type for block in body] == ["side_effects", "care_card"]


def test_a_blank_care_card_does_not_count_as_the_urgent_one(client, editor, therapy_index):
    client.force_login(editor)
    blank_card = ("care_card", {"level": "urgent", "heading": "", "body": rich_text("")})
    data = {**add_form("Checkpoint inhibitors", [side_effects(), blank_card]), "action-submit": "1"}
    html = client.post(ADD_URL.format(therapy_index.pk), data).content.decode()
    assert MISSING_URGENT_CARE in html


def test_a_half_filled_section_is_kept_and_its_error_says_which_field(
    client, editor, therapy_index
):
    client.force_login(editor)
    half = ("section", {"heading": "", "anchor": "", "body": rich_text("<p>Some text.</p>")})
    blocks = [half, side_effects(), care_card("urgent")]
    data = {**add_form("Checkpoint inhibitors", blocks), "action-submit": "1"}
    response = client.post(ADD_URL.format(therapy_index.pk), data)
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not CheckpointInhibitorPage.objects.exists()


def blank_side_effects() -> tuple:
    effect = dict.fromkeys(["organ_system", "name", "symptoms", "grade", "seek_urgent_care"], "")
    effects = streamfield([("item", {**effect, "management": rich_text("")})])
    return ("side_effects", {"heading": "Side effects", "intro": rich_text(""), "effects": effects})


def test_blank_blocks_do_not_tick_the_checklist(client, editor, therapy_index):
    client.force_login(editor)
    blank_card = ("care_card", {"level": "urgent", "heading": "", "body": rich_text("")})
    blocks = [blank_side_effects(), blank_card]
    data = {**add_form("Checkpoint inhibitors", blocks), "action-submit": "1"}
    html = client.post(ADD_URL.format(therapy_index.pk), data).content.decode()
    assert "✗ A side effects block (missing)" in checklist(html)
    assert "✗ A care card with level urgent or emergency (missing)" in checklist(html)


def test_a_care_card_without_its_text_does_not_count_once_saved(client, editor, therapy_index):
    client.force_login(editor)
    headed_only = (
        "care_card",
        {"level": "emergency", "heading": "Call 999", "body": rich_text("")},
    )
    client.post(ADD_URL.format(therapy_index.pk), add_form("Checkpoint inhibitors", [headed_only]))
    page = CheckpointInhibitorPage.objects.get()
    assert [b.block_type for b in page.get_latest_revision_as_object().body] == ["care_card"]
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "✗ A care card with level urgent or emergency (missing)" in checklist(html)
    assert MISSING_URGENT_CARE in page.get_latest_revision_as_object().publishing_refusals()


@pytest.mark.parametrize("posted", ["", "x", "[]", '{"blocks": 1}', '{"blocks": [1]}', "null"])
def test_rich_text_that_is_not_editor_data_in_a_hand_built_post_is_saved_as_no_text(
    admin_client, therapy_index, posted
):
    admin_client.post(ADD_URL.format(therapy_index.pk), add_form("Checkpoint inhibitors", []))
    page = CheckpointInhibitorPage.objects.get()
    name, value = side_effects()
    # What no browser sends (Draftail posts "null" for no text), e.g. body-0-value-intro=
    blocks = [(name, {**value, "intro": posted}), care_card("urgent")]
    response = admin_client.post(f"/admin/pages/{page.pk}/edit/", add_form("Kept", blocks))
    assert response.status_code == 302
    body = CheckpointInhibitorPage.objects.get().get_latest_revision_as_object().body
    assert [block.block_type for block in body] == ["side_effects", "care_card"]
    assert body[0].value["intro"].source == ""
    assert body[0].value["heading"] == "Side effects"
