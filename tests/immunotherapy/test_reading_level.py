"""Editors see the reading grade of a page's text, with a warning above grade 8; API readers too."""

import pytest

from immunotherapy.reading_level import reading_grade
from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
from tests.factories import ADD_URL, make_therapy_page, required_body, section_block

pytestmark = pytest.mark.django_db

PLAIN = (
    "<p>This drug helps your body fight cancer. You get it by drip. It takes one hour. "
    "Most people feel fine. Some feel tired. Tell your nurse if you feel sick. "
    "We will check your blood each week.</p>"
)
HARD = (
    "<p>Immune checkpoint inhibition constitutes a pharmacological intervention whereby "
    "monoclonal antibodies antagonise inhibitory immunoregulatory receptors, consequently "
    "potentiating cytotoxic T-lymphocyte-mediated antitumour immunological responsiveness "
    "notwithstanding considerable interindividual heterogeneity.</p>"
)


def page_with(therapy_index, text: str) -> CheckpointInhibitorPage:
    return make_therapy_page(
        therapy_index,
        CheckpointInhibitorPage,
        summary="A short summary.",
        body=required_body(section_block("How it works", text)),
    )


def test_plain_text_scores_below_hard_text(therapy_index):
    plain = reading_grade(page_with(therapy_index, PLAIN))
    CheckpointInhibitorPage.objects.all().delete()
    hard = reading_grade(page_with(therapy_index, HARD))
    assert plain is not None and hard is not None
    assert plain <= 8 < hard


def test_editor_sees_a_warning_for_hard_text(admin_client, therapy_index):
    page = page_with(therapy_index, HARD)
    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert f"Reading grade {page.reading_grade}: hard for many patients." in html


def test_editor_sees_plain_text_is_on_target(admin_client, therapy_index):
    page = page_with(therapy_index, PLAIN)
    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "within the grade 8 patient-education target" in html
    assert "hard for many patients" not in html


def test_new_page_form_explains_the_reading_level(admin_client, therapy_index):
    url = ADD_URL.format(therapy_index.pk)
    html = admin_client.get(url).content.decode()
    assert "Save a draft with some text to see its reading level" in html


def test_api_gives_the_reading_grade(client, therapy_index):
    page = page_with(therapy_index, HARD)
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["reading_grade"] == page.reading_grade
    assert data["reading_grade"] > 8
