"""Site navigation built from the page tree."""

from typing import Any

from django import template
from django.http import QueryDict

from wagtail.models import Page, Site

from immunotherapy.selectors import private_pages_q

register = template.Library()


@register.simple_tag(takes_context=True)
def site_menu(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The home page's live children marked "show in menus", with the current section flagged."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    current: Page | None = context.get("page")
    # Title and URL are all a menu shows: plain pages, no query per page type for `.specific`.
    items = site.root_page.get_children().live().exclude(private_pages_q(request)).in_menu()
    return [
        {
            "page": item,
            "current": bool(current and current.path.startswith(item.path)),
        }
        for item in items
    ]


@register.simple_tag(takes_context=True)
def footer_pages(context: dict[str, Any]) -> list[Page]:
    """The home page's live children left out of the main menu (About, Editorial policy,
    Contact...), linked from every page's footer."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(site.root_page.get_children().live().public().filter(show_in_menus=False))


@register.inclusion_tag("components/pagination.html", takes_context=True)
def pagination(
    context: dict[str, Any], page_obj: Any, label: str, param: str = "page", anchor: str = ""
) -> dict[str, Any]:
    """Numbered links to the other pages of `page_obj`, keeping the request's other parameters.

    The current page is marked `aria-current="page"`; long ranges are elided around it.
    """
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query.pop(param, None)

    def url(number: int) -> str:
        query[param] = str(number)
        return f"?{query.urlencode()}{anchor}"

    items = [
        {"number": number, "url": url(number) if isinstance(number, int) else None}
        for number in page_obj.paginator.get_elided_page_range(page_obj.number, on_ends=1)
    ]
    return {
        "page_obj": page_obj,
        "label": label,
        "items": items,
        "previous_url": url(page_obj.previous_page_number()) if page_obj.has_previous() else None,
        "next_url": url(page_obj.next_page_number()) if page_obj.has_next() else None,
    }
