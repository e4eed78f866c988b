"""Site navigation built from the page tree."""

from typing import Any

from django import template
from django.http import QueryDict

from wagtail.models import Page, Site

from immunotherapy.api.http_cache import cached_until_content_changes

register = template.Library()


def _top_level_pages(context: dict[str, Any]) -> list[Page]:
    """The live, public children of the site's home page, in tree order, read once per content
    version (any page, restriction or site change starts a new one) by each process.

    Plain pages: title and URL are all the header and footer show, so no query per page type
    for `.specific`.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return cached_until_content_changes(
        f"nav-top-level:{site.pk}", lambda: list(site.root_page.get_children().live().public())
    )


@register.simple_tag(takes_context=True)
def site_menu(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The home page's live children marked "show in menus", with the current section flagged."""
    current: Page | None = context.get("page")
    return [
        {"page": item, "current": bool(current and current.path.startswith(item.path))}
        for item in _top_level_pages(context)
        if item.show_in_menus
    ]


@register.simple_tag(takes_context=True)
def footer_pages(context: dict[str, Any]) -> list[Page]:
    """The home page's live children left out of the main menu (About, Editorial policy,
    Contact...), linked from every page's footer."""
    return [item for item in _top_level_pages(context) if not item.show_in_menus]


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
