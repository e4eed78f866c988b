"""An RSS feed of the latest published articles."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import timezone

from wagtail.models import Site

from immunotherapy.models import ArticlePage


class ArticleFeed(Feed):
    """The 20 newest live articles, for feed readers."""

    title = "Immunotherapy Guide: articles"
    link = "/"
    description = "New patient-facing articles about cancer immunotherapy."

    def get_object(self, request: HttpRequest) -> Site | None:
        return Site.find_for_request(request)

    def items(self, site: Site | None) -> list[ArticlePage]:
        articles = ArticlePage.objects.live().public()
        if site is not None:
            articles = articles.descendant_of(site.root_page)
        return list(articles.order_by("-first_published_at")[:20])

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.intro

    def item_link(self, item: ArticlePage) -> str:
        return item.url or "/"

    def item_pubdate(self, item: ArticlePage) -> datetime | None:
        if item.publication_date:
            return timezone.make_aware(datetime.combine(item.publication_date, time.min))
        return item.first_published_at
