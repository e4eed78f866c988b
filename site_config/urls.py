from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api as api_v3
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from immunotherapy.feeds import ArticleFeed
from immunotherapy.views import search

from .api import api_router
from .health import healthz, ping

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("ping/", ping, name="ping"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/v3/", api_v3.urls),
    path("comments/", include("comments.urls")),
    path("search/", search, name="search"),
    path("sitemap.xml", sitemap),
    path("feeds/articles/", ArticleFeed(), name="article_feed"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
