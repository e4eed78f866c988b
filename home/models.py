"""The site root."""

from typing import Any

from django.db import models
from django.http import HttpRequest

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page

from immunotherapy.models import ArticlePage
from immunotherapy.preview import FrontEndPreviewMixin
from immunotherapy.registry import registry


class HomePage(FrontEndPreviewMixin, Page):
    """The front page: a hero, the therapy types, then the latest articles."""

    hero_heading = models.CharField(max_length=255, blank=True)
    hero_text = models.TextField(blank=True, help_text="A short welcome under the heading.")

    content_panels = [*Page.content_panels, FieldPanel("hero_heading"), FieldPanel("hero_text")]
    api_fields = [APIField("hero_heading"), APIField("hero_text")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def latest_articles(self, limit: int = 6) -> list[ArticlePage]:
        return list(
            ArticlePage.objects.descendant_of(self)
            .live()
            .public()
            .order_by("-first_published_at")[:limit]
        )

    def featured_therapies(self) -> list[Page]:
        """One live page per registered therapy type under this home page, in tree order."""
        return list(registry.live_pages().descendant_of(self))

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = self.latest_articles()
        context["featured_therapies"] = self.featured_therapies()
        return context

    class Meta:
        verbose_name = "home page"
