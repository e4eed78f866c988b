"""The sitemap: an index (`/sitemap.xml`) of numbered page sitemaps, cached until pages change.

Django's sitemap index and section views over Wagtail's `Sitemap`, `SITEMAP_PAGE_SIZE` URLs
per section page (the protocol allows 50,000). Each answer is kept in the cache under a key
holding the id of the newest Wagtail page log entry: publishing, unpublishing, moving or
deleting a page, or changing who may see it, writes one, so every process sees the change on
its next request, whatever the cache backend (each process has its own in the default set-up).
`pages_changed` moves a generation too, for changes made without a log entry. The key also holds
the enabled therapy plugins and `SITEMAP_PAGE_SIZE`: the database cache outlives a restart, and
one with another plugin set or page size must not serve the sitemap kept before it.
"""

from typing import Any

from django.conf import settings
from django.contrib.sitemaps import views as django_views
from django.core.cache import cache
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import prepare_sitemaps
from wagtail.models import PageLogEntry

from immunotherapy.orphans import orphaned_content_type_ids
from immunotherapy.registry import registry
from immunotherapy.signals import pages_changed

GENERATION_KEY = "sitemap:generation"
SECTION_URL_NAME = "sitemap_section"


class PagesSitemap(Sitemap):
    """Every live, public page of the site, in tree order, SITEMAP_PAGE_SIZE to a section."""

    @property
    def limit(self) -> int:  # read per request, so tests and deployments may change it
        return settings.SITEMAP_PAGE_SIZE

    def items(self) -> Any:
        # A disabled or uninstalled plugin's pages are left out: they would be dead links.
        return super().items().exclude(content_type_id__in=orphaned_content_type_ids())

    def get_latest_lastmod(self) -> Any:
        # Django's default calls lastmod() on every item of every section; one query instead.
        lastmod = Coalesce("last_published_at", "latest_revision_created_at")
        return self.items().aggregate(latest=Max(lastmod))["latest"]


SITEMAPS = {"pages": PagesSitemap}


@receiver(pages_changed, dispatch_uid="sitemap-pages-changed")
def sitemap_invalidate(**_kwargs: Any) -> None:
    """Make every cached sitemap stale (a signal receiver)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: nothing is cached under one either
        cache.add(GENERATION_KEY, 1, timeout=None)


def _cached(request: HttpRequest, name: str, render: Any) -> HttpResponse:
    """The XML `render()` gives, kept until the pages change (see the module docstring)."""
    newest_log = PageLogEntry.objects.aggregate(newest=Max("pk"))["newest"]
    page = request.GET.get("p", "1")[:10]
    generation = cache.get(GENERATION_KEY, 0)
    served = f"{registry.fingerprint()}:{settings.SITEMAP_PAGE_SIZE}"
    key = f"sitemap:{request.get_host()}:{name}:{page}:{newest_log}:{generation}:{served}"
    kept = cache.get(key)
    if kept is None:
        response = render()
        if response.status_code != 200:
            return response
        response.render()
        kept = (response.content, response.get("Last-Modified"))
        cache.set(key, kept, settings.SITEMAP_CACHE_TIMEOUT)
    content, last_modified = kept
    response = HttpResponse(content, content_type="application/xml")
    if last_modified:
        response["Last-Modified"] = last_modified
    return response


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """`/sitemap.xml`: links to each numbered section page."""
    return _cached(
        request,
        "index",
        lambda: django_views.index(
            request, prepare_sitemaps(request, SITEMAPS), sitemap_url_name=SECTION_URL_NAME
        ),
    )


@require_GET
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """`/sitemap-<section>.xml?p=N`: up to SITEMAP_PAGE_SIZE page URLs (404 past the end)."""
    return _cached(
        request,
        section,
        lambda: django_views.sitemap(request, prepare_sitemaps(request, SITEMAPS), section=section),
    )
