"""What editors see in the block picker: names, icons, descriptions and previews, in every
stream an editor picks blocks from (the article's, every therapy page's, every installed
plugin's)."""

from django.apps import apps
from django.urls import reverse

from wagtail.blocks import StreamBlock
from wagtail.fields import StreamField

import pytest

from immunotherapy.blocks import ArticleStreamBlock, EmbedBlock, FigureBlock, TherapyStreamBlock
from immunotherapy.models import Agent, Reference

# Their preview would need an image from the library or media from another site. Wagtail shows a
# block's description beside its preview, so the picker shows these two by name and icon alone.
NOT_PREVIEWED = (FigureBlock, EmbedBlock)


def pickers() -> list[tuple[str, StreamBlock]]:
    """Every page body's stream block, core and installed plugins, named `app.Model.field`."""
    return [
        (f"{model._meta.label}.{field.name}", field.stream_block)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, StreamField)
    ]


def preview_html(client, block) -> str:
    response = client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
    assert response.status_code == 200, block.name
    return response.content.decode()


def test_every_stream_of_every_installed_plugin_is_checked() -> None:
    checked = {where for where, _stream in pickers()}
    assert {"immunotherapy.ArticlePage.body", "car_t.CellTherapyPage.body"} <= checked
    assert "oncolytic_virus.OncolyticVirusPage.body" in checked  # the suite's example plugin


def test_every_block_an_editor_can_pick_has_a_description_and_a_preview() -> None:
    gaps = []
    for where, stream in pickers():
        for name, block in stream.child_blocks.items():
            kind = f"{where}: block {name!r} ({type(block).__name__})"
            if not block.get_description():
                gaps.append(f"{kind} has no description (Meta.description)")
            if not block.is_previewable and not isinstance(block, NOT_PREVIEWED):
                gaps.append(f"{kind} has no preview in the picker (Meta.preview_value)")
    assert not gaps, "\n".join(gaps)


@pytest.mark.django_db
def test_every_preview_shows_the_block_as_readers_see_it(admin_client) -> None:
    previewed = {
        block.definition_prefix: block
        for _where, stream in pickers()
        for block in stream.child_blocks.values()
        if block.is_previewable
    }
    for block in previewed.values():
        html = preview_html(admin_client, block)
        assert "/static/css/site.css" in html, block.name
        assert f"block-{block.name}" in html, block.name


@pytest.mark.django_db
def test_blocks_that_show_chosen_snippets_preview_example_ones_without_saving_them(
    admin_client,
) -> None:
    stream = TherapyStreamBlock()
    agents = preview_html(admin_client, stream.child_blocks["agent_table"])
    assert '<th scope="row" data-label="Medicine">pembrolizumab</th>' in agents
    assert '<td data-label="Brand names">Keytruda</td>' in agents
    evidence = preview_html(admin_client, ArticleStreamBlock().child_blocks["evidence"])
    assert "Pembrolizumab versus ipilimumab in advanced melanoma" in evidence
    assert 'href="https://doi.org/10.1056/NEJMoa1503093"' in evidence
    assert not Agent.objects.exists()
    assert not Reference.objects.exists()


@pytest.mark.django_db
def test_article_text_and_tables_are_previewed(admin_client) -> None:
    article = ArticleStreamBlock().child_blocks
    assert "I felt listened to at every appointment." in preview_html(
        admin_client, article["quote"]
    )
    paragraph = preview_html(admin_client, article["paragraph"])
    assert "<p>If you have questions about your treatment, ask your care team.</p>" in paragraph
    table = preview_html(admin_client, article["table"])
    assert "<caption>Your treatment at a glance</caption>" in table
    assert "Every 3 or 6 weeks" in table


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
