"""Public views outside the page tree: site search."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from wagtail.models import Page, Site

SEARCH_PAGE_SIZE = 10


def search(request: HttpRequest) -> HttpResponse:
    """Wagtail search over the live, public pages of this site."""
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    if query:
        pages = Page.objects.live().public()
        site = Site.find_for_request(request)
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        results = pages.specific().search(query)
    paginator = Paginator(results, SEARCH_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "immunotherapy/search.html", {"query": query, "results": page_obj}
    )
