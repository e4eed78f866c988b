"""Public views outside the page tree: site search."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from wagtail.models import Page, Site

from immunotherapy.models import TherapyIndexPage
from immunotherapy.orphans import orphaned_content_type_ids
from immunotherapy.search import excerpt, page_text, query_terms, suggest
from immunotherapy.search_backend.query import clean_query
from immunotherapy.search_backend.ranked import MAX_RANKED_CANDIDATES

SEARCH_PAGE_SIZE = 10


def search(request: HttpRequest) -> HttpResponse:
    """Wagtail search over the live, public pages of this site, best matches first.

    Each result has a highlighted excerpt; a search that finds nothing offers the drug or
    glossary name the reader probably meant.
    """
    query = clean_query(request.GET.get("q", ""))
    results = Page.objects.none()
    if query:
        # A disabled or uninstalled plugin's pages stay in the search index until deleted.
        orphaned = orphaned_content_type_ids()
        pages = Page.objects.live().public().exclude(content_type_id__in=orphaned)
        site = Site.find_for_request(request)
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        results = pages.specific().search(query)
    paginator = Paginator(results, SEARCH_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    nothing_found = bool(query) and not paginator.count
    terms = query_terms(query)
    for result in page_obj:
        result.search_excerpt = excerpt(page_text(result), terms)
    return TemplateResponse(
        request,
        "immunotherapy/search.html",
        {
            "query": query,
            "results": page_obj,
            "suggestion": suggest(query) if nothing_found else None,
            "browse": TherapyIndexPage.objects.live().first() if nothing_found else None,
            "capped": paginator.count >= MAX_RANKED_CANDIDATES,
        },
    )
