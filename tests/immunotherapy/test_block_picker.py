"""What editors see in the block picker: names, icons, descriptions and previews."""

from django.urls import reverse

import pytest

from immunotherapy.blocks.streams import ArticleStreamBlock, TherapyStreamBlock

pytestmark = pytest.mark.django_db

PREVIEWED = ["section", "callout", "faq", "mechanism", "side_effects", "care_card"]


def test_every_block_with_a_preview_value_is_previewed_in_the_picker(admin_client):
    stream = TherapyStreamBlock()
    for name in PREVIEWED:
        block = stream.child_blocks[name]
        assert block.is_previewable, name
        response = admin_client.get(
            reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
        )
        html = response.content.decode()
        assert response.status_code == 200, name
        assert "/static/css/site.css" in html, name
        assert f"block-{name}" in html, name
    quote = ArticleStreamBlock().child_blocks["quote"]
    html = admin_client.get(
        reverse("wagtailadmin_block_preview"), {"id": quote.definition_prefix}
    ).content.decode()
    assert "I felt listened to at every appointment." in html


def test_labels_and_icons_tell_the_blocks_apart():
    children = TherapyStreamBlock().child_blocks
    assert children["faq"].label == "FAQ"
    assert children["evidence"].label == "Evidence summary"
    assert children["evidence"].meta.group == "Research"
    assert children["side_effects"].meta.icon != children["care_card"].meta.icon
    assert children["callout"].meta.icon != children["faq"].meta.icon
    assert all(child.get_description() for child in children.values())
