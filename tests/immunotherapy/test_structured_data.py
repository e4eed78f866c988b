"""Every public page carries JSON-LD that parses, naming review, subject and sources."""

import json
import re
from datetime import date

from wagtail.models import Page

import pytest

from home.models import HomePage
from immunotherapy.models import (
    ArticleIndexPage,
    ArticlePage,
    MedicalReviewer,
    MedicalSiteSettings,
    TherapyIndexPage,
    TherapyPage,
)
from immunotherapy.registry import registry

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    blocks = JSON_LD.findall(html)
    assert len(blocks) == 1, url
    return json.loads(blocks[0])


def test_every_demo_page_has_a_medical_web_page(client, demo_content):
    pages = list(Page.objects.live().filter(depth__gt=1).specific())
    # The home page, both indexes, the seed article and the four therapy pages at least.
    assert {type(page) for page in pages} >= {HomePage, TherapyIndexPage, ArticleIndexPage}
    assert sum(isinstance(page, ArticlePage) for page in pages) >= 1
    assert sum(isinstance(page, TherapyPage) for page in pages) >= 4
    for page in pages:
        data = json_ld(client, page.url)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "MedicalWebPage"
        assert data["name"] == page.title
        assert data["medicalAudience"] == {"@type": "MedicalAudience", "audienceType": "Patient"}


def test_a_therapy_page_names_review_subject_drugs_and_citations(client, demo_content):
    page = registry.get("checkpoint-inhibitors").page_model.objects.get()
    page.medical_reviewer = MedicalReviewer.objects.create(
        name="Dr Ada Lovelace", credentials="MD", affiliation="St Elsewhere"
    )
    page.last_reviewed = date(2026, 10, 1)
    page.save_revision().publish()

    data = json_ld(client, page.url)
    assert data["lastReviewed"] == "2026-10-01"
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Ada Lovelace",
        "honorificSuffix": "MD",
        "affiliation": {"@type": "Organization", "name": "St Elsewhere"},
    }
    types = [item["@type"] for item in data["about"]]
    assert types[0] == "MedicalTherapy"
    assert data["about"][0]["name"] == page.title
    assert "Drug" in types
    drugs = {item["name"] for item in data["about"] if item["@type"] == "Drug"}
    assert "pembrolizumab" in {name.lower() for name in drugs}
    citations = data["citation"]
    assert citations and all(c["@type"] == "ScholarlyArticle" for c in citations)
    assert any(c.get("url", "").startswith("https://doi.org/10.") for c in citations)


def test_hostile_text_cannot_break_out_of_the_json_ld(client, demo_content):
    page = registry.get("cancer-vaccines").page_model.objects.get()
    page.seo_title = "</script><script>alert(1)</script> & more"
    page.save_revision().publish()
    response = client.get(page.url)
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    data = json.loads(JSON_LD.findall(html)[0])
    assert data["name"] == "</script><script>alert(1)</script> & more"


def test_disclaimer_is_on_every_page_and_in_the_api(client, demo_content):
    from wagtail.models import Page, Site

    page = registry.get("adoptive-cell-therapy").page_model.objects.get()
    default = client.get(f"/api/v2/pages/{page.pk}/").json()["medical_disclaimer"]
    assert default.startswith("This information is for education only.")
    settings = MedicalSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.disclaimer = "Talk to your own care team before acting on anything here."
    settings.save()
    for page in Page.objects.live().filter(depth__gt=1):
        assert "Talk to your own care team before acting" in client.get(page.url).content.decode()
    page = registry.get("adoptive-cell-therapy").page_model.objects.get()
    # The cached API answer is dropped when the setting changes.
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["medical_disclaimer"] == settings.disclaimer


def test_citations_are_numbered_and_link_the_bibliography(client, demo_content):
    page = registry.get("checkpoint-inhibitors").page_model.objects.get()
    references = page.references()
    assert references
    html = client.get(page.url).content.decode()
    assert '<a href="#ref-1" aria-label="Reference 1">1</a>' in html
    assert '<li id="ref-1">' in html
    first = references[0]
    assert f'href="https://doi.org/{first.doi}"' in html
    assert f'href="https://pubmed.ncbi.nlm.nih.gov/{first.pmid}/"' in html

    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert [item["number"] for item in data["bibliography"]] == list(range(1, len(references) + 1))
    assert data["bibliography"][0]["title"] == first.title
    assert {"doi", "pmid", "link"} <= set(data["bibliography"][0])
