"""Marks glossary terms in rendered text with their definitions, which readers open and close.

The server writes the definition in brackets after the word, readable with no script, no
hover and no pointer; `glossary.js` turns each word into a button (`aria-expanded`) that shows
and hides it, by tap, click or keyboard.
"""

import re
from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from immunotherapy.api.http_cache import cached_until_content_changes
from immunotherapy.models import GlossaryTerm

register = template.Library()

TAG = re.compile(r"(<[^>]+>)")
SKIP_INSIDE = {"a", "abbr", "dfn", "button", "h1", "h2", "h3", "h4", "code"}


@lru_cache(maxsize=16)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern:
    """One regex matching any of `terms` as a whole word, longest first, any case."""
    return re.compile(
        r"\b(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )


def mark_glossary_terms(html: str, terms: dict[str, str]) -> str:
    """Wrap the first use of each term (whole word, any case) outside links and headings."""
    if not terms:
        return html
    pattern = _terms_pattern(tuple(terms))
    definitions = {t.lower(): d for t, d in terms.items()}
    used: set[str] = set()
    open_skips: list[str] = []
    out = []
    for chunk in TAG.split(html):
        if chunk.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", chunk)
            tag = name.group(1).lower() if name else ""
            if tag in SKIP_INSIDE:
                if chunk.startswith("</"):
                    if open_skips:
                        open_skips.pop()
                elif not chunk.endswith("/>"):
                    open_skips.append(tag)
            out.append(chunk)
            continue
        if open_skips:
            out.append(chunk)
            continue

        def wrap(match: re.Match) -> str:
            key = match.group(1).lower()
            if key in used:
                return match.group(1)
            used.add(key)
            return (
                f'<span class="glossary-term"><dfn class="glossary-term__word">{match.group(1)}'
                f'</dfn><span class="glossary-term__definition"> ({escape(definitions[key])})'
                "</span></span>"
            )

        out.append(pattern.sub(wrap, chunk))
    return "".join(out)


@register.filter(is_safe=True)
def glossary(value: str) -> SafeString:
    """Rendered HTML with glossary terms explained beside them; plain text is escaped first."""
    # SafeString, RichText and other already-safe values keep their HTML.
    html = value.__html__() if hasattr(value, "__html__") else escape(value)
    terms = cached_until_content_changes(
        "glossary-terms", lambda: dict(GlossaryTerm.objects.values_list("term", "definition"))
    )
    return mark_safe(mark_glossary_terms(str(html), terms))  # noqa: S308
