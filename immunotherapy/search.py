"""Reader search helpers: a highlighted excerpt per result and "did you mean" for drug names."""

import difflib
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from wagtail.models import Page, ReferenceIndex
from wagtail.search import index

from immunotherapy.models import Agent, GlossaryTerm
from immunotherapy.registry import registry

EXCERPT_WORDS = 30
TEXT_FIELDS = ("search_description", "summary", "intro")
WORD = re.compile(r"[\w-]+", re.UNICODE)
# How alike a typed word must be to a known term to be offered (difflib's ratio, 0 to 1).
SUGGESTION_CUTOFF = 0.75


def query_terms(query: str) -> list[str]:
    """The words of a query worth highlighting (two letters or more), lower case."""
    return [word.lower() for word in WORD.findall(query) if len(word) > 1]


def page_text(page: Page) -> str:
    """The page's description fields, then the text of its body, as one plain string.

    The body is read from its raw JSON, so chosen snippets and images are not loaded.
    """
    parts = [str(getattr(page, name, "") or "") for name in TEXT_FIELDS]
    body = getattr(page, "body", None)
    if body is not None:
        parts += _raw_strings(list(body.raw_data))
    return " ".join(strip_tags(" ".join(parts)).split())


def _raw_strings(raw: object) -> list[str]:
    """Every string value inside raw stream data, skipping block types and ids."""
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, dict):
        values = [raw["value"]] if "type" in raw and "value" in raw else raw.values()
        return [text for value in values for text in _raw_strings(value)]
    if isinstance(raw, list | tuple):
        return [text for item in raw for text in _raw_strings(item)]
    return []


def excerpt(text: str, terms: Iterable[str], words: int = EXCERPT_WORDS) -> SafeString:
    """About `words` words of `text` around the first query term, the terms in <mark>."""
    terms = [term for term in terms if term]
    tokens = text.split()
    if not tokens:
        return mark_safe("")
    lowered = [token.lower() for token in tokens]
    first = next((n for n, token in enumerate(lowered) if any(term in token for term in terms)), 0)
    start = max(0, min(first - words // 3, len(tokens) - words))
    window = tokens[start : start + words]
    # A capturing group: re.split() puts the matched terms at the odd indexes.
    pattern = re.compile(f"({'|'.join(re.escape(term) for term in terms)})", re.IGNORECASE)
    marked = " ".join(
        "".join(
            f"<mark>{escape(piece)}</mark>" if n % 2 else escape(piece)
            for n, piece in enumerate(pattern.split(token) if terms else [token])
        )
        for token in window
    )
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + words < len(tokens) else ""
    return mark_safe(prefix + marked + suffix)  # noqa: S308 (every piece escaped above)


def known_terms() -> dict[str, str]:
    """Words readers may mean, lower case, to the term to search for instead.

    Drug names (a brand name leads to its generic name), glossary terms and therapy types;
    two small queries, run only when a search finds nothing.
    """
    terms: dict[str, str] = {}
    for generic, brands in Agent.objects.values_list("generic_name", "brand_names"):
        terms[generic.lower()] = generic
        for brand in brands.split(","):
            if brand.strip():
                terms[brand.strip().lower()] = generic
    for term in GlossaryTerm.objects.values_list("term", flat=True):
        terms.setdefault(term.lower(), term)
    for therapy_type in registry:
        terms.setdefault(therapy_type.label.lower(), therapy_type.label)
    # Single words of longer names too, so "pembrolizumb" or "ciloleucl" find their match.
    for name, target in list(terms.items()):
        for word in WORD.findall(name):
            if len(word) > 5:
                terms.setdefault(word, target if " " not in name else word)
    return terms


def suggest(query: str) -> str | None:
    """A corrected query when words look like misspelt drug or glossary names, else None."""
    terms = known_terms()
    words = WORD.findall(query)
    corrected, changed = [], False
    for word in words:
        lowered = word.lower()
        match = terms.get(lowered)
        if match is None and len(lowered) > 3:
            close = difflib.get_close_matches(lowered, terms, n=1, cutoff=SUGGESTION_CUTOFF)
            match = terms[close[0]] if close else None
        if match is not None and match.lower() != lowered:
            corrected.append(match)
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None


def reindex_pages_showing_agent(sender: type, instance: Agent, **kwargs: Any) -> None:
    """post_save of an agent: the pages showing it index its names (`agent_names`), so a new
    brand name or synonym is found on them at once."""
    page_type = ContentType.objects.get_for_model(Page)
    ids = (
        ReferenceIndex.get_references_to_in_bulk([instance])
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    for page in Page.objects.filter(pk__in=[int(pk) for pk in ids]).specific():
        index.insert_or_update_object(page)
