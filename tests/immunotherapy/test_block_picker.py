"""What editors see in the block picker: names, icons, descriptions and previews, in every
stream an editor picks blocks from (the article's, every therapy page's, every installed
plugin's)."""

from django.apps import apps
from django.urls import reverse

from wagtail.blocks import StreamBlock
from wagtail.fields import StreamField

import pytest

from immunotherapy.blocks import ArticleStreamBlock, TherapyStreamBlock

PREVIEWED = ["section", "callout", "faq", "mechanism", "side_effects", "care_card"]


def pickers() -> list[tuple[str, StreamBlock]]:
    """Every page body's stream block, core and installed plugins, named `app.Model.field`."""
    return [
        (f"{model._meta.label}.{field.name}", field.stream_block)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, StreamField)
    ]


@pytest.mark.django_db
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


def test_every_stream_of_every_installed_plugin_is_checked() -> None:
    checked = {where for where, _stream in pickers()}
    assert {"immunotherapy.ArticlePage.body", "car_t.CellTherapyPage.body"} <= checked
    assert "oncolytic_virus.OncolyticVirusPage.body" in checked  # the suite's example plugin


def test_labels_read_as_editors_say_them() -> None:
    therapy = TherapyStreamBlock().child_blocks
    assert therapy["faq"].label == "FAQ"
    assert therapy["evidence"].label == "Evidence summary"
    assert ArticleStreamBlock().child_blocks["evidence"].label == "Evidence summary"
    car_t = apps.get_model("car_t", "CellTherapyPage")._meta.get_field("body").stream_block
    crs = car_t.child_blocks["crs_icans_monitoring"]
    assert crs.label == "CRS and ICANS monitoring"
    assert crs.child_blocks["stay_nearby_weeks"].label == "Weeks to stay nearby"
    assert therapy["embed"].child_blocks["url"].label == "URL"
    assert therapy["evidence"].meta.group == "Research"
    assert all(child.get_description() for child in therapy.values())


def test_no_two_blocks_in_one_picker_share_an_icon() -> None:
    shared = []
    for where, stream in pickers():
        names_by_icon: dict[str, list[str]] = {}
        for name, block in stream.child_blocks.items():
            names_by_icon.setdefault(block.meta.icon, []).append(name)
        shared += [
            f"{where}: {names} share {icon!r}"
            for icon, names in names_by_icon.items()
            if len(names) > 1
        ]
    assert not shared, "\n".join(shared)
