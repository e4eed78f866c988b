from django.conf import settings
from django.templatetags.static import static as static_url
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api as api_v3
from wagtail.documents import urls as wagtaildocs_urls

from immunotherapy.api.index import api_v2_index, api_v3_index
from immunotherapy.api.router import api_router
from immunotherapy.feeds import ArticleFeed
from immunotherapy.page_cache import cache_public_page
from immunotherapy.sitemaps import SECTION_URL_NAME, sitemap_index, sitemap_section
from immunotherapy.views import search

from .health import healthz, ping

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("ping/", ping, name="ping"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_v2_index, name="api_v2_index"),
    path("api/v2/", api_router.urls),
    path("api/v3/", api_v3_index, name="api_v3_index"),
    path("api/v3/", api_v3.urls),
    path("comments/", include("comments.urls")),
    path("search/", search, name="search"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name=SECTION_URL_NAME),
    path("feeds/articles/", ArticleFeed(), name="article_feed"),
    # Browsers ask for /favicon.ico whatever the page links to.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static_url, str)("favicon.ico"), permanent=True),
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# wagtail.urls with its page view (`wagtail.views.serve`) behind the anonymous HTML cache.
urlpatterns += [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(
        wagtail_urls.serve_pattern, cache_public_page(wagtail_views.serve), name="wagtail_serve"
    ),
]

# JSON errors under /api/, Django's own pages elsewhere.
handler400 = "site_config.api_errors.bad_request"
handler403 = "site_config.api_errors.permission_denied"
handler404 = "site_config.api_errors.page_not_found"
handler500 = "site_config.api_errors.server_error"
