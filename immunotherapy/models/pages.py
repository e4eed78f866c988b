"""Article pages, the therapy index and the indexes above them."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.admin.widgets import AdminPageChooser
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey

from comments.models import CommentsMixin
from immunotherapy.blocks import ArticleStreamBlock
from immunotherapy.fields import StreamField
from immunotherapy.models.base import ReadingLevelMixin, ReviewDatesMixin, SectionsMixin
from immunotherapy.preview import FrontEndPreviewMixin
from immunotherapy.registry import registry


class TherapyIndexPage(FrontEndPreviewMixin, Page):
    """Lists every registered therapy type's live page; the only place therapy pages live."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1

    @classmethod
    def clean_subpage_models(cls) -> list[type[Page]]:
        # The registry decides which types exist, so enabling a plugin needs no edit here.
        return registry.page_models()

    def therapy_pages(self) -> list[Page]:
        return list(registry.live_pages().child_of(self))

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["therapy_pages"] = self.therapy_pages()
        return context

    class Meta:
        verbose_name = "therapy index"


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


class ArticlePage(
    CommentsMixin, FrontEndPreviewMixin, ReviewDatesMixin, ReadingLevelMixin, SectionsMixin, Page
):
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
        InlinePanel("related_therapies", label="Related therapy types"),
        *ReadingLevelMixin.reading_panels,
        *ReviewDatesMixin.review_panels,
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
        APIField("related_therapies"),
        *CommentsMixin.comments_api_fields,
        *ReviewDatesMixin.api_fields,
        *ReadingLevelMixin.api_fields,
    ]

    parent_page_types = ["immunotherapy.ArticleIndexPage"]
    subpage_types: list[str] = []

    @property
    def display_date(self) -> date | None:
        if self.publication_date:
            return self.publication_date
        return self.first_published_at.date() if self.first_published_at else None

    def related_therapy_pages(self) -> list[Page]:
        """The therapy type pages this article links to, in their order, live or not."""
        return [link.therapy_page for link in self.related_therapies.select_related("therapy_page")]

    class Meta:
        verbose_name = "article"


class TherapyPageChooserPanel(PageChooserPanel):
    """A page chooser offering only pages of the registered therapy types."""

    def get_form_options(self) -> dict[str, Any]:
        # Built when the admin first needs the form, after plugins have registered.
        options = super().get_form_options()
        options.setdefault("widgets", {})[self.field_name] = AdminPageChooser(
            target_models=registry.page_models()
        )
        return options


class ArticleRelatedTherapy(Orderable):
    """A therapy type page an article is about, shown as a link under the article."""

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_therapies")
    therapy_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="A therapy type page, such as Immune checkpoint inhibitors.",
    )

    panels = [TherapyPageChooserPanel("therapy_page")]
    api_fields = [APIField("therapy_page"), APIField("therapy_title"), APIField("therapy_type")]

    def clean(self) -> None:
        super().clean()
        if self.therapy_page_id and registry.for_page(self.therapy_page.specific) is None:
            raise ValidationError({"therapy_page": "Choose a therapy type page."})

    @property
    def therapy_title(self) -> str:
        return self.therapy_page.title

    @property
    def therapy_type(self) -> str | None:
        """The slug of the chosen page's therapy type, as `?therapy_type=` takes it."""
        therapy_type = registry.for_model(self.therapy_page.specific_class)
        return therapy_type.slug if therapy_type else None

    class Meta(Orderable.Meta):
        verbose_name = "related therapy type"
