"""Old WordPress addresses with a query string (/?p=42, /?page_id=7) that land on a live page.

Wagtail's redirect middleware (`wagtail.contrib.redirects.middleware`) only looks for a redirect
when the response is a 404, and /?p=42 is the home page, which answers 200. So those redirects,
stored like any other (`Redirect.normalise_path` keeps the sorted query string), are looked up
before the page is served instead.
"""

from urllib.parse import urlencode

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

WORDPRESS_QUERY_KEYS = ("p", "page_id")


def wordpress_query_redirect(request: HttpRequest) -> HttpResponse | None:
    """The redirect stored for this path and WordPress query (?p= or ?page_id=), if any."""
    if not any(key in request.GET for key in WORDPRESS_QUERY_KEYS):
        return None
    # Only WordPress's own keys count, so /?p=42&utm_source=news redirects as /?p=42 does.
    query = urlencode(
        [(key, request.GET[key]) for key in WORDPRESS_QUERY_KEYS if key in request.GET]
    )
    path = Redirect.normalise_path(f"{request.path}?{query}")
    candidates = list(Redirect.get_for_site(Site.find_for_request(request)).filter(old_path=path))
    # The site's own redirect before one for all sites, as the redirect middleware prefers.
    candidates.sort(key=lambda redirect: redirect.site_id is None)
    if not candidates or candidates[0].link is None:
        return None
    if candidates[0].is_permanent:
        return HttpResponsePermanentRedirect(candidates[0].link)
    return HttpResponseRedirect(candidates[0].link)
