"""What a medical reviewer sees when comparing two revisions of a page body."""

import re

from django.urls import reverse

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
