"""`{% citation_links page references %}`: an evidence block's numbered bibliography links;
`{{ text|sentence }}`: a reference's part ending in one full stop ("et al.", not "et al..")."""

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def citation_links(page: Any, references: Any) -> SafeString:
    citation_numbers = getattr(page, "citation_numbers", None)
    numbers = citation_numbers() if citation_numbers else {}
    cited = sorted({numbers[ref.pk] for ref in references if ref is not None and ref.pk in numbers})
    if not cited:
        return SafeString("")
    links = format_html_join(
        ", ", '<a href="#ref-{0}" aria-label="Reference {0}">{0}</a>', ((n,) for n in cited)
    )
    return format_html('<p class="citations">Sources: [{}]</p>', links)


@register.filter
def sentence(value: Any) -> str:
    """The text with one closing punctuation mark: a full stop unless it already ends in one."""
    text = str(value or "").strip()
    return text if not text or text[-1] in ".?!" else f"{text}."
