"""Snippet listings in the admin: search, filters, and validation on the edit form."""

import pytest

from immunotherapy.models import GlossaryTerm, Reference
from tests.factories import AgentFactory, ReferenceFactory

pytestmark = pytest.mark.django_db


def test_agent_listing_searches_and_filters(admin_client) -> None:
    AgentFactory()
    AgentFactory(
        generic_name="tisagenlecleucel",
        brand_names="Kymriah",
        target="CD19",
        drug_class="CAR-T cell therapy",
        first_approval_year=2017,
    )
    url = "/admin/snippets/immunotherapy/agent/"
    everything = admin_client.get(url).content.decode()
    assert "pembrolizumab" in everything and "tisagenlecleucel" in everything
    searched = admin_client.get(url, {"q": "Kymriah"}).content.decode()
    assert "tisagenlecleucel" in searched and "pembrolizumab</a>" not in searched
    filtered = admin_client.get(url, {"target": "PD-1"}).content.decode()
    assert "pembrolizumab" in filtered and "tisagenlecleucel</a>" not in filtered


def test_clinical_content_listings_stack_on_a_phone_each_value_named(admin_client) -> None:
    AgentFactory()
    html = admin_client.get("/admin/snippets/immunotherapy/agent/").content.decode()
    assert 'class="listing stack-when-narrow"' in html
    assert '<td data-label="Brand names">Keytruda</td>' in html
    assert "immunotherapy/css/stacking-table.css" in html
    # Every admin page carries the stylesheet that keeps its header and sidebar labels whole.
    assert "immunotherapy/css/admin.css" in html


def test_reference_listing_searches(admin_client) -> None:
    ReferenceFactory()
    response = admin_client.get("/admin/snippets/immunotherapy/reference/", {"q": "ipilimumab"})
    assert response.status_code == 200
    assert "Pembrolizumab versus ipilimumab" in response.content.decode()


def test_glossary_listing_sorts_as_a_dictionary_does(admin_client) -> None:
    alphabetical = ["antigen", "CTCAE", "cytokine", "T cells"]
    for term in ["T cells", "antigen", "CTCAE", "cytokine"]:
        GlossaryTerm.objects.create(term=term, definition="A plain sentence.")
    url = "/admin/snippets/immunotherapy/glossaryterm/"

    def listed(**params: str) -> list[str]:
        html = admin_client.get(url, params).content.decode()
        return sorted(alphabetical, key=lambda term: html.index(f">{term}<"))

    assert listed() == alphabetical
    assert listed(ordering="-term") == alphabetical[::-1]
    # Search results come by relevance until the Term column is chosen to sort them.
    assert listed(q="plain sentence", ordering="term") == alphabetical


def test_references_sort_by_pmid_as_numbers(admin_client) -> None:
    by_number = ["9876543", "25891173", "31234567"]
    for pmid in ["31234567", "9876543", "25891173"]:
        Reference.objects.create(title=f"Trial {pmid}", authors="A", year=2020, pmid=pmid)
    Reference.objects.create(title="No PMID", authors="A", year=2020)
    url = "/admin/snippets/immunotherapy/reference/"

    def listed(ordering: str) -> list[str]:
        html = admin_client.get(url, {"ordering": ordering}).content.decode()
        return sorted(by_number, key=lambda pmid: html.index(f"Trial {pmid}"))

    assert listed("pmid") == by_number
    assert listed("-pmid") == by_number[::-1]


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("a\u0001b", "Remove the control characters"),
        ("\u200b\u200b", "This field is required."),  # only zero-width spaces: nothing to see
    ],
)
def test_glossary_form_refuses_control_and_invisible_characters(admin_client, term, message):
    response = admin_client.post(
        "/admin/snippets/immunotherapy/glossaryterm/add/",
        {"term": term, "definition": "A messenger between immune cells."},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GlossaryTerm.objects.exists()


def test_reference_form_shows_doi_and_pmid_errors(admin_client) -> None:
    response = admin_client.post(
        "/admin/snippets/immunotherapy/reference/add/",
        {
            "title": "T",
            "authors": "A",
            "journal": "J",
            "year": "2015",
            "doi": "doi.org/10.1056",
            "pmid": "PMID1",
            "url": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a DOI such as 10.1056/NEJMoa1503093" in html
    assert "Enter a PubMed ID: digits only" in html
    assert not Reference.objects.exists()
