"""schema.org JSON-LD for public pages: the `MedicalWebPage`, its reviewer and its citations."""

from typing import Any

from django.utils.html import strip_tags

from wagtail.models import Page

AUDIENCE = {"@type": "MedicalAudience", "audienceType": "Patient"}


def person(reviewer: Any) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": reviewer.name}
    if reviewer.credentials:
        person["honorificSuffix"] = reviewer.credentials
    if reviewer.affiliation:
        person["affiliation"] = {"@type": "Organization", "name": reviewer.affiliation}
    return person


def citation(reference: Any) -> dict[str, Any]:
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


def web_page(page: Page) -> dict[str, Any]:
    """The `MedicalWebPage` JSON-LD every public page has; medical pages add their review,
    subject and sources (`MedicalContentPage.structured_data`)."""
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
    return data
