"""Therapy pages as editors and readers meet them: creation rules, admin errors, pages."""

import re
from html import escape, unescape

from wagtail.models import Page

import pytest

from home.models import HomePage
from immunotherapy.models import Agent, GlossaryTerm, TherapyIndexPage
from immunotherapy.registry import registry
from immunotherapy.therapies.car_t.models import CellTherapyPage
from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
from tests.factories import (
    ADD_URL,
    AgentFactory,
    add_form,
    care_card,
    make_article,
    make_therapy_page,
    required_body,
    section_block,
    side_effects,
)

pytestmark = pytest.mark.django_db


def test_therapy_pages_can_only_be_created_under_the_therapy_index(home_page, therapy_index):
    for therapy_type in registry:
        model = therapy_type.page_model
        assert model.can_create_at(therapy_index), model
        assert not model.can_create_at(home_page), model
        assert model.allowed_subpage_models() == []
    assert set(TherapyIndexPage.allowed_subpage_models()) == set(registry.page_models())
    assert TherapyIndexPage in HomePage.allowed_subpage_models()
    assert not TherapyIndexPage.can_create_at(home_page)  # one per home page
    assert not TherapyIndexPage.can_create_at(therapy_index)


def test_admin_offers_every_registered_type_under_the_index(admin_client, therapy_index):
    response = admin_client.get(f"/admin/pages/{therapy_index.pk}/add_subpage/")
    assert response.status_code == 200
    html = response.content.decode()
    for therapy_type in registry:
        model = therapy_type.page_model
        assert f"/add/{model._meta.app_label}/{model._meta.model_name}/" in html
    assert "/add/immunotherapy/articlepage/" not in html


def test_admin_refuses_to_publish_without_required_blocks(admin_client, therapy_index):
    url = ADD_URL.format(therapy_index.pk)
    data = {**add_form("Checkpoint inhibitors", [care_card("non_urgent")]), "action-publish": "1"}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Add a side effects block: a therapy page needs one before it is reviewed" in html
    assert "Add a care card with level urgent or emergency" in html
    assert not CheckpointInhibitorPage.objects.exists()


def test_admin_shows_a_bad_nct_id_as_a_field_error(admin_client, therapy_index):
    url = ADD_URL.format(therapy_index.pk)
    trial = ("clinical_trial", {"nct_id": "NCT123", "name": "KEYNOTE-006", "summary": ""})
    data = add_form("Checkpoint inhibitors", [trial])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "NCT followed by 8 digits" in response.content.decode()
    assert not CheckpointInhibitorPage.objects.exists()


def test_admin_publishes_a_complete_page(admin_client, therapy_index):
    url = ADD_URL.format(therapy_index.pk)
    data = {
        **add_form("Checkpoint inhibitors", [side_effects(), care_card("urgent")]),
        "action-publish": "1",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    page = CheckpointInhibitorPage.objects.get()
    assert page.live
    assert page.get_parent().pk == therapy_index.pk


def test_generic_template_renders_blocks_toc_and_glossary(client, therapy_index):
    GlossaryTerm.objects.create(term="T cells", definition="White blood cells that kill germs.")
    body = required_body(section_block("What are T cells?", "<p>T cells patrol the body.</p>"))
    page = make_therapy_page(therapy_index, CellTherapyPage, title="Cell therapy", body=body)
    response = client.get(page.url)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "immunotherapy/therapy_page.html"
    html = response.content.decode()
    assert '<a href="#what-are-t-cells">What are T cells?</a>' in html
    assert (
        '<p><span class="glossary-term"><dfn class="glossary-term__word">T cells</dfn>'
        '<span class="glossary-term__definition"> (White blood cells that kill germs.)</span>'
        "</span> patrol"
    ) in html
    assert "&lt;p&gt;" not in html
    assert "Call your team now" in html  # the care card
    assert "CTCAE grade 2" in html  # the side effects block
    assert '<nav class="breadcrumbs"' in html
    assert 'property="og:title" content="Cell therapy"' in html
    assert "{% block after_body %}" not in html


def test_a_plugin_template_is_used_when_shipped(client, therapy_index):
    page = make_therapy_page(
        therapy_index,
        CheckpointInhibitorPage,
        title="Checkpoints",
        how_given="Given as a drip into a vein every three weeks.",
    )
    response = client.get(page.url)
    names = [t.name for t in response.templates]
    assert names[0] == "checkpoint_inhibitors/checkpoint_inhibitor_page.html"
    assert "immunotherapy/therapy_page.html" in names
    # The sentence is page content (reviewed with the page), not text in the template.
    assert '<p class="therapy__note">Given as a drip into a vein every three weeks.</p>' in (
        response.content.decode()
    )


def test_therapy_index_and_home_list_live_therapy_pages(client, home_page, therapy_index):
    live = make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Checkpoints")
    draft = CellTherapyPage(title="Cell therapy draft", summary="x", body=required_body())
    therapy_index.add_child(instance=draft)
    draft.unpublish()
    index_html = client.get(therapy_index.url).content.decode()
    home_html = client.get("/").content.decode()
    for html in (index_html, home_html):
        assert live.url in html
        assert "Cell therapy draft" not in html
    assert "Types of immunotherapy" in home_html


def test_api_v2_lists_therapy_pages_with_expanded_snippets(client, therapy_index):
    agent = AgentFactory()
    table = {"type": "agent_table", "value": {"heading": "Medicines", "agents": [agent.pk]}}
    make_therapy_page(therapy_index, CheckpointInhibitorPage, body=required_body(table))
    response = client.get(
        "/api/v2/pages/",
        {"type": "checkpoint_inhibitors.CheckpointInhibitorPage", "fields": "*"},
    )
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["summary"] == "A plain summary."
    blocks = {block["type"]: block["value"] for block in item["body"]}
    assert blocks["agent_table"]["agents"][0]["generic_name"] == "pembrolizumab"
    assert blocks["care_card"]["level"] == "urgent"
    assert {"last_reviewed", "next_review_due", "hero"} <= set(item)


def test_the_medicines_table_shows_readers_no_template_text(client, therapy_index):
    agent = AgentFactory()
    table = {"type": "agent_table", "value": {"heading": "Medicines", "agents": [agent.pk]}}
    page = make_therapy_page(therapy_index, CheckpointInhibitorPage, body=required_body(table))
    html = client.get(page.url).content.decode()
    assert 'aria-label="Medicines"' in html
    assert "{#" not in html and "#}" not in html


def test_article_may_link_only_therapy_pages(home_page, therapy_index):
    from django.core.exceptions import ValidationError

    from immunotherapy.models import ArticleRelatedTherapy

    therapy = make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Checkpoints")
    article = make_article(home_page)
    ArticleRelatedTherapy(article=article, therapy_page=therapy).full_clean()
    with pytest.raises(ValidationError) as caught:
        ArticleRelatedTherapy(
            article=article, therapy_page=Page.objects.get(pk=home_page.pk)
        ).full_clean()
    assert "therapy_page" in caught.value.message_dict


def test_article_shows_its_related_therapy_types(client, home_page, therapy_index):
    from immunotherapy.models import ArticleRelatedTherapy

    therapy = make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Checkpoints")
    article = make_article(home_page)
    article.related_therapies.add(ArticleRelatedTherapy(therapy_page=therapy))
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert "Related therapy types" in html
    assert f'href="{therapy.url}"' in html
    api = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert api["related_therapies"][0]["therapy_title"] == "Checkpoints"


def test_home_page_is_not_a_therapy_type() -> None:
    assert registry.for_page(HomePage()) is None


def test_glossary_marks_each_term_once_and_never_inside_links_or_tags() -> None:
    from immunotherapy.templatetags.glossary_tags import mark_glossary_terms

    terms = {"antigen": 'A "marker" <b>', "T cells": "Cells"}
    html = '<p><a href="/antigen">antigen</a> then antigen and Antigen; T cells.</p>'
    assert mark_glossary_terms(html, terms) == (
        '<p><a href="/antigen">antigen</a> then '
        '<span class="glossary-term"><dfn class="glossary-term__word">antigen</dfn>'
        '<span class="glossary-term__definition"> (A &quot;marker&quot; &lt;b&gt;)</span></span>'
        " and Antigen; "
        '<span class="glossary-term"><dfn class="glossary-term__word">T cells</dfn>'
        '<span class="glossary-term__definition"> (Cells)</span></span>.</p>'
    )


def test_article_therapy_chooser_offers_only_registered_types(admin_client, home_page):
    from immunotherapy.models import ArticleRelatedTherapy
    from immunotherapy.models.pages import TherapyPageChooserPanel

    panel = TherapyPageChooserPanel("therapy_page").bind_to_model(ArticleRelatedTherapy)
    widget = panel.get_form_options()["widgets"]["therapy_page"]
    assert list(widget.target_models) == registry.page_models()
    article = make_article(home_page)
    response = admin_client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
    assert "Related therapy types" in response.content.decode()


@pytest.mark.parametrize("slug", [t.slug for t in registry])
def test_admin_add_form_opens_for_every_type(admin_client, therapy_index, slug):
    model = registry.get(slug).page_model
    meta = model._meta
    url = f"/admin/pages/add/{meta.app_label}/{meta.model_name}/{therapy_index.pk}/"
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="summary"' in html
    assert 'name="hero_image_alt"' in html


def test_admin_checks_review_dates_and_hero_alt_text(admin_client, therapy_index):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Hero", file=get_test_image_file())
    url = ADD_URL.format(therapy_index.pk)
    data = {
        **add_form("Checkpoint inhibitors", [side_effects(), care_card("urgent")]),
        "hero_image": str(image.pk),
        "last_reviewed": "2026-10-01",
        "next_review_due": "2026-01-01",
        "action-publish": "1",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Every image needs alt text." in html
    assert "The next review must come after the last." in html
    assert not CheckpointInhibitorPage.objects.exists()


def test_on_this_page_lists_every_headed_block_with_anchors_that_exist(client, demo_content):
    from tests.e2e.helpers import THERAPY_PAGE_URLS

    html = client.get(THERAPY_PAGE_URLS["immune-checkpoint-inhibitors"]).content.decode()
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    entries = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)
    headings = [unescape(heading) for _, heading in entries]
    for expected in ("Side effects", "What the research shows", "Questions people ask"):
        assert any(expected in heading for heading in headings), (expected, headings)
    assert headings[-1] == "References"
    assert "Call your treatment team's 24-hour line straight away if you" in headings
    anchors = [anchor for anchor, _ in entries]
    assert len(anchors) == len(set(anchors))
    for anchor in anchors:
        assert html.count(f'id="{anchor}"') == 1, anchor


# The headed blocks each built-in plugin adds, as its demo page shows them.
PLUGIN_HEADINGS = {
    "immune-checkpoint-inhibitors": ["PD-1", "PD-L1", "CTLA-4", "LAG-3"],
    "adoptive-cell-therapy": [
        "CAR-T: your own cells",
        "From collection to infusion",
        "Before the infusion: fludarabine and cyclophosphamide",
        "Watching for CRS",
        "Watching for ICANS",
    ],
    "cancer-vaccines": [
        "HPV vaccine",
        "Hepatitis B vaccine",
        "Sipuleucel-T",
        "Sipuleucel-T schedule",
        "HPV vaccine schedule",
        "Talimogene laherparepvec (T-VEC)",
    ],
    "combination-therapies": [
        "Nivolumab and ipilimumab",
        "Nivolumab and relatlimab",
        "Pembrolizumab with chemotherapy",
        "Chemoradiation followed by durvalumab",
        "Atezolizumab and bevacizumab",
    ],
}


@pytest.mark.parametrize("slug", PLUGIN_HEADINGS)
def test_on_this_page_links_to_each_headed_block_of_the_plugin(client, demo_content, slug):
    from tests.e2e.helpers import THERAPY_PAGE_URLS

    html = client.get(THERAPY_PAGE_URLS[slug]).content.decode()
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    anchors = {
        unescape(heading): anchor
        for anchor, heading in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)
    }
    for heading in PLUGIN_HEADINGS[slug]:
        assert heading in anchors, (heading, list(anchors))
        # The link leads to the block showing that heading.
        target = (
            rf'id="{anchors[heading]}">\s*<section[^>]*>\s*<h2>{re.escape(escape(heading))}</h2>'
        )
        assert re.search(target, html), heading


def test_a_medicine_is_named_with_its_brands_without_brackets_in_brackets(client, demo_content):
    from tests.e2e.helpers import THERAPY_PAGE_URLS

    def text(slug: str) -> str:
        html = client.get(THERAPY_PAGE_URLS[slug]).content.decode()
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())

    # The brand name "Opdualag (with nivolumab)" carries a note of its own in brackets.
    checkpoints = text("immune-checkpoint-inhibitors")
    assert "Medicines that block LAG-3: relatlimab (Opdualag, with nivolumab)" in checkpoints
    assert "Medicines that block PD-1: pembrolizumab (Keytruda), nivolumab (Opdivo)" in checkpoints
    regimen = "Relatlimab (LAG-3 inhibitor) (Opdualag, with nivolumab)"
    assert regimen in text("combination-therapies")
    for slug in ("immune-checkpoint-inhibitors", "combination-therapies"):
        assert "(Opdualag (with nivolumab))" not in text(slug)


@pytest.mark.parametrize(
    ("brand_names", "shown"),
    [
        ("", "relatlimab"),
        ("Opdualag", "relatlimab (Opdualag)"),
        ("Opdualag, BMS-986213", "relatlimab (Opdualag, BMS-986213)"),
        ("Opdualag (with nivolumab)", "relatlimab (Opdualag, with nivolumab)"),
        ("Opdualag (with nivolumab), X", "relatlimab (Opdualag, with nivolumab; X)"),
    ],
)
def test_brand_names_in_brackets_keep_their_own_notes_out_of_brackets(brand_names, shown):
    assert Agent(generic_name="relatlimab", brand_names=brand_names).name_with_brands() == shown


def test_references_are_listed_once_and_end_in_one_full_stop(client, demo_content):
    from tests.e2e.helpers import THERAPY_PAGE_URLS

    html = client.get(THERAPY_PAGE_URLS["immune-checkpoint-inhibitors"]).content.decode()
    assert "et al.." not in html and "et al. " in html
    assert html.count('href="https://doi.org/10.1056/NEJMoa1503093"') == 1
    assert 'class="citations">Sources: [<a href="#ref-1"' in html
