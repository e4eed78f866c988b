"""Text for meta descriptions and search results, whatever the page type."""

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator

register = template.Library()

DESCRIPTION_FIELDS = ("search_description", "summary", "intro", "hero_text")


@register.filter
def page_description(page: object, words: int = 40) -> str:
    """The page's search description, else its summary or introduction, as plain text."""
    for name in DESCRIPTION_FIELDS:
        value = getattr(page, name, "")
        if value:
            return Truncator(strip_tags(str(value))).words(words)
    return ""
