"""Article pages and the index above them."""

from datetime import date
from typing import Any

from django.db import models
from django.http import HttpRequest

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from comments.models import CommentsMixin
from immunotherapy.blocks import ArticleStreamBlock
from immunotherapy.fields import StreamField
from immunotherapy.preview import FrontEndPreviewMixin


class ArticleIndexPage(FrontEndPreviewMixin, Page):
    """Lists the site's articles, newest first."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["immunotherapy.ArticlePage"]
    max_count_per_parent = 1

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = (
            ArticlePage.objects.child_of(self).live().public().order_by("-first_published_at")
        )
        return context

    class Meta:
        verbose_name = "article index"


class ArticlePage(CommentsMixin, FrontEndPreviewMixin, Page):
    """A patient-facing article: an introduction, titled sections and a closing note."""

    intro = models.TextField(
        help_text="One or two sentences shown under the title and in listings."
    )
    publication_date = models.DateField(
        null=True,
        blank=True,
        help_text="Shown as the article's date; the first publish date if empty.",
    )
    author = models.CharField(max_length=255, blank=True)
    body = StreamField(ArticleStreamBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("publication_date"),
        FieldPanel("author"),
        FieldPanel("body"),
    ]
    settings_panels = [*Page.settings_panels, *CommentsMixin.comments_panels]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("publication_date"),
    ]
    api_fields = [
        APIField("intro"),
        APIField("publication_date"),
        APIField("author"),
        APIField("body"),
    ]

    parent_page_types = ["immunotherapy.ArticleIndexPage"]
    subpage_types: list[str] = []

    @property
    def display_date(self) -> date | None:
        if self.publication_date:
            return self.publication_date
        return self.first_published_at.date() if self.first_published_at else None

    def sections(self) -> list:
        """The section blocks, for the table of contents."""
        return [block.value for block in self.body if block.block_type == "section"]

    class Meta:
        verbose_name = "article"
