"""schema.org JSON-LD for public pages: a `MedicalWebPage` with its review, subject, sources."""

from typing import Any

from django.utils.html import strip_tags

from wagtail.models import Page

from immunotherapy.blocks import chosen_snippets

AUDIENCE = {"@type": "MedicalAudience", "audienceType": "Patient"}


def _person(reviewer: Any) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": reviewer.name}
    if reviewer.credentials:
        person["honorificSuffix"] = reviewer.credentials
    if reviewer.affiliation:
        person["affiliation"] = {"@type": "Organization", "name": reviewer.affiliation}
    return person


def _citation(reference: Any) -> dict[str, Any]:
    citation: dict[str, Any] = {
        "@type": "ScholarlyArticle",
        "name": reference.title,
        "author": reference.authors,
        "isPartOf": {"@type": "Periodical", "name": reference.journal},
        "datePublished": str(reference.year),
    }
    if reference.link:
        citation["url"] = reference.link
    identifiers = [
        f"{scheme}:{value}"
        for scheme, value in (("doi", reference.doi), ("pmid", reference.pmid))
        if value
    ]
    if identifiers:
        citation["identifier"] = identifiers
    return citation


def _about(page: Page) -> list[dict[str, Any]]:
    from immunotherapy.models import ArticlePage, TherapyPage

    if isinstance(page, TherapyPage):
        about = [{"@type": "MedicalTherapy", "name": page.title}]
        about += [
            {"@type": "Drug", "name": agent.generic_name, "drugClass": agent.drug_class}
            for agent in chosen_snippets(page.body, "agent_table", "agents")
        ]
        return about
    if isinstance(page, ArticlePage):
        return [
            {"@type": "MedicalTherapy", "name": therapy_page.title}
            for therapy_page in page.related_therapy_pages()
        ]
    return []


def medical_web_page(page: Page) -> dict[str, Any]:
    """The JSON-LD object describing `page` (a specific page) to search engines."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": page.seo_title or page.title,
        "url": page.full_url,
        "medicalAudience": AUDIENCE,
    }
    description = (
        page.search_description or getattr(page, "summary", "") or getattr(page, "intro", "")
    )
    if isinstance(description, str) and strip_tags(description).strip():
        data["description"] = strip_tags(description).strip()
    if getattr(page, "last_reviewed", None):
        data["lastReviewed"] = page.last_reviewed.isoformat()
    if getattr(page, "medical_reviewer", None):
        data["reviewedBy"] = _person(page.medical_reviewer)
    about = _about(page)
    if about:
        data["about"] = about[0] if len(about) == 1 else about
    references = page.references() if hasattr(page, "references") else []
    if references:
        data["citation"] = [_citation(reference) for reference in references]
    return data
