"""Site navigation built from the page tree."""

from typing import Any

from django import template

from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def site_menu(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The home page's live children marked "show in menus", with the current section flagged."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    current: Page | None = context.get("page")
    items = site.root_page.get_children().live().public().in_menu().specific()
    return [
        {
            "page": item,
            "current": bool(current and current.path.startswith(item.path)),
        }
        for item in items
    ]
