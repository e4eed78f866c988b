"""Shared block library: validation editors see, and the API shape each block owns."""

from django.core.exceptions import ValidationError

from wagtail.blocks import StreamBlockValidationError, StreamValue, StructBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import pytest

from immunotherapy.blocks import (
    AgentTableBlock,
    CareCardBlock,
    ClinicalTrialBlock,
    EvidenceBlock,
    FigureBlock,
    TherapyStreamBlock,
)
from immunotherapy.blocks.streams import MISSING_SIDE_EFFECTS, MISSING_URGENT_CARE
from immunotherapy.models import Reference
from tests.factories import (
    AgentFactory,
    ReferenceFactory,
    care_card_block,
    required_body,
    section_block,
    side_effects_block,
)


def stream(raw: list[dict]) -> StreamValue:
    block = TherapyStreamBlock()
    return block, block.to_python(raw)


def non_block_messages(exc: StreamBlockValidationError) -> list[str]:
    return [e.message for e in exc.non_block_errors.as_data()]


@pytest.mark.django_db
def test_complete_body_is_valid() -> None:
    block, value = stream(required_body())
    block.clean(value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "missing"),
    [
        ([section_block("Intro")], [MISSING_SIDE_EFFECTS, MISSING_URGENT_CARE]),
        ([side_effects_block()], [MISSING_URGENT_CARE]),
        ([side_effects_block(), care_card_block("non_urgent")], [MISSING_URGENT_CARE]),
        ([care_card_block("emergency")], [MISSING_SIDE_EFFECTS]),
    ],
)
def test_body_without_required_blocks_is_refused_with_a_clear_message(raw, missing) -> None:
    block, value = stream(raw)
    with pytest.raises(StreamBlockValidationError) as caught:
        block.clean(value)
    assert non_block_messages(caught.value) == missing


@pytest.mark.django_db
def test_a_draft_may_lack_required_blocks() -> None:
    block, value = stream([section_block("Intro")])
    block.clean_deferred(value)  # as Wagtail saves a draft: the blocks' rules are left as they were


@pytest.mark.parametrize("nct_id", ["NCT0186631", "nct01866319", "NCT018663190", "01866319"])
def test_clinical_trial_refuses_a_malformed_nct_id(nct_id: str) -> None:
    block = ClinicalTrialBlock()
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python({"nct_id": nct_id, "name": "KEYNOTE-006"}))
    assert "nct_id" in caught.value.block_errors


def test_clinical_trial_api_links_to_the_registry() -> None:
    block = ClinicalTrialBlock()
    value = block.clean(block.to_python({"nct_id": "NCT01866319", "name": "KEYNOTE-006"}))
    assert block.get_api_representation(value)["url"] == (
        "https://clinicaltrials.gov/study/NCT01866319"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("doi", "https://doi.org/10.1056/x"), ("doi", "10.12/x"), ("pmid", "PMID123"), ("pmid", "0")],
)
def test_reference_refuses_bad_doi_and_pmid(field: str, value: str) -> None:
    reference = Reference(title="T", authors="A", journal="J", year=2015, **{field: value})
    with pytest.raises(ValidationError) as caught:
        reference.full_clean()
    assert field in caught.value.message_dict


@pytest.mark.django_db
def test_figure_requires_alt_text_and_api_gives_a_rendition() -> None:
    image = Image.objects.create(title="Cells", file=get_test_image_file())
    block = FigureBlock()
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))
    assert "alt_text" in caught.value.block_errors
    value = block.clean(block.to_python({"image": image.pk, "alt_text": "T cells", "caption": ""}))
    api = block.get_api_representation(value)
    assert api["image"]["alt"] == "T cells"
    assert api["image"]["url"].endswith(".webp")
    assert api["image"]["width"] > 0
    assert api["image"]["height"] > 0


@pytest.mark.django_db
def test_snippet_choosers_are_expanded_in_the_api() -> None:
    agent = AgentFactory(synonyms="MK-3475, lambrolizumab")
    reference = ReferenceFactory()
    table = AgentTableBlock()
    api = table.get_api_representation(table.to_python({"heading": "M", "agents": [agent.pk]}))
    assert api["agents"][0] == {
        "id": agent.pk,
        "generic_name": "pembrolizumab",
        "brand_names": ["Keytruda"],
        "synonyms": ["MK-3475", "lambrolizumab"],
        "target": "PD-1",
        "drug_class": "checkpoint inhibitor",
        "approved_indications": "",
        "first_approval_year": 2014,
    }
    evidence = EvidenceBlock()
    value = evidence.to_python(
        {"heading": "E", "summary": "<p>x</p>", "references": [reference.pk]}
    )
    cited = evidence.get_api_representation(value)["references"][0]
    assert cited["doi"] == "10.1056/NEJMoa1503093"
    assert cited["pmid"] == "25891173"
    assert cited["link"] == "https://doi.org/10.1056/NEJMoa1503093"


def test_every_therapy_stream_child_has_a_group() -> None:
    # Descriptions and previews: test_block_picker.py, over every stream.
    for name, child in TherapyStreamBlock().child_blocks.items():
        assert child.meta.group, name


@pytest.mark.django_db
def test_agent_table_scrolls_in_a_labelled_region_keyboard_users_can_focus() -> None:
    table = AgentTableBlock()
    html = table.render(table.to_python({"heading": "Medicines", "agents": [AgentFactory().pk]}))
    assert '<div class="table-scroll" role="region" aria-label="Medicines" tabindex="0">' in html
    assert '<th scope="row" data-label="Medicine">pembrolizumab</th>' in html
    assert '<td data-label="Used for">' in html  # the label each value shows on phones


@pytest.mark.parametrize("level", ["emergency", "urgent", "non_urgent"])
def test_a_care_card_is_a_note_screen_readers_reach_in_reading_order(level: str) -> None:
    # role="alert" would have every screen reader interrupt with the emergency card on page load.
    block = CareCardBlock()
    value = block.to_python({"level": level, "heading": "When to get help", "body": "<p>Call</p>"})
    html = block.render(value)
    assert 'role="note"' in html
    assert "alert" not in html
