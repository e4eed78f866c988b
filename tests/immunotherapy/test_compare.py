"""What a medical reviewer sees when comparing two revisions of a page body."""

import re
from typing import Any

from django.urls import reverse

from wagtail import blocks
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest

from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
from tests.factories import make_therapy_page

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_new_side_effect_is_shown_with_block_field_and_choice_labels(admin_client, therapy_index):
    page = make_therapy_page(therapy_index, CheckpointInhibitorPage)
    before = page.latest_revision
    body = page.body.raw_data
    effects = next(block for block in body if block["type"] == "side_effects")
    effects["value"]["effects"].append(
        {
            "organ_system": "skin",
            "name": "Itchy skin",
            "symptoms": "Itching.",
            "grade": "1",
            "management": "<p>Cream.</p>",
            "seek_urgent_care": "Blisters.",
        }
    )
    page.body = body
    after = page.save_revision()

    url = reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, before.pk, after.pk))
    text = text_of(admin_client.get(url).content.decode())

    assert "Side effects (Changed)" in text
    assert "Organ system Skin Name Itchy skin" in text
    assert "Grade Grade 1 (mild)" in text
    assert "Seek urgent care Blisters." in text
    assert "organ_system" not in text
    assert "seek_urgent_care" not in text


def test_a_changed_choice_is_shown_by_its_labels(admin_client, therapy_index):
    page = make_therapy_page(therapy_index, CheckpointInhibitorPage)
    before = page.latest_revision
    body = page.body.raw_data
    care_card = next(block for block in body if block["type"] == "care_card")
    care_card["value"]["level"] = "emergency"
    page.body = body
    after = page.save_revision()

    url = reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, before.pk, after.pk))
    html = admin_client.get(url).content.decode()

    assert "Care card (Changed)" in text_of(html)
    assert "Urgent: call your treatment team today" in html
    assert "Emergency: call emergency services now" in html
    assert ">emergency<" not in html


def form_value(block: blocks.Block, value: Any) -> Any:
    """`value` as the page editor posts it back, block ids included."""
    if isinstance(block, blocks.StreamBlock | blocks.ListBlock):
        children = value if isinstance(block, blocks.StreamBlock) else value.bound_blocks
        items = {
            str(n): {
                "type": child.block_type if isinstance(block, blocks.StreamBlock) else "item",
                "value": form_value(child.block, child.value),
                "id": child.id,
                "deleted": "",
                "order": str(n),
            }
            for n, child in enumerate(children)
        }
        return {**items, "count": str(len(items))}
    if isinstance(block, blocks.StructBlock):
        return {name: form_value(child, value[name]) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.RichTextBlock):
        return rich_text(value.source)
    if isinstance(block, blocks.ChooserBlock):
        return value.pk if value else ""
    if isinstance(block, blocks.BooleanBlock):
        return "on" if value else ""
    return "" if value is None else str(value)


def test_editing_one_side_effect_of_a_demo_page_marks_only_that_block(admin_client, demo_content):
    page = CheckpointInhibitorPage.objects.get().specific
    before = page.save_revision()
    body = page.body
    effects = next(child for child in body if child.block_type == "side_effects")
    effects.value["effects"][0]["name"] = "Tiredness that lasts"
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "hero_image": page.hero_image_id or "",
            "hero_image_alt": page.hero_image_alt,
            "last_reviewed": page.last_reviewed or "",
            "next_review_due": page.next_review_due or "",
            "body": form_value(body.stream_block, body),
            "comments": inline_formset([]),
            "change_notes": inline_formset([]),
        }
    )
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302, response.context["form"].errors
    after = page.revisions.order_by("pk").last()

    url = reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, before.pk, after.pk))
    text = text_of(admin_client.get(url).content.decode())

    assert re.findall(r"\w[\w ]*\(Changed\)", text) == ["Side effects (Changed)"]
    assert "Tiredness that lasts" in text
    assert "attack. Checkpoint" in text
