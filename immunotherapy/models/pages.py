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

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase

from comments.models import CommentsMixin
from immunotherapy import rich_text
from immunotherapy.blocks import ArticleStreamBlock
from immunotherapy.fields import StreamField
from immunotherapy.forms import BlankBlocksRefusedPageForm
from immunotherapy.models.base import (
    RELATED_ANCHOR,
    MedicalContentPage,
    SectionsMixin,
    TocEntry,
)
from immunotherapy.preview import FrontEndPreviewMixin
from immunotherapy.registry import registry
from immunotherapy.selectors import (
    CountingPaginator,
    private_pages_q,
    therapy_cards_load,
    therapy_pages_in_type_order,
)

THERAPY_INDEX_PAGE_SIZE = 24


class TherapyIndexPage(FrontEndPreviewMixin, Page):
    """Lists every registered therapy type's live page; the only place therapy pages live."""

    intro = RichTextField(blank=True, features=rich_text.INLINE)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1

    @classmethod
    def clean_subpage_models(cls) -> list[type[Page]]:
        # The registry decides which types exist, so enabling a plugin needs no edit here.
        return registry.page_models()

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        pages = therapy_pages_in_type_order(parent=self, private=private_pages_q(request))
        paginator = CountingPaginator(pages, THERAPY_INDEX_PAGE_SIZE)
        therapy_pages = paginator.get_page(request.GET.get("page"))
        therapy_pages.object_list = therapy_cards_load(therapy_pages.object_list)
        context["therapy_pages"] = therapy_pages
        return context

    class Meta:
        verbose_name = "therapy index"


class ArticleIndexPage(FrontEndPreviewMixin, Page):
    """Lists the site's articles, newest first."""

    intro = RichTextField(blank=True, features=rich_text.INLINE)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["immunotherapy.ArticlePage", "immunotherapy.StandardPage"]
    max_count_per_parent = 1

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = (
            ArticlePage.objects.child_of(self).live().public().order_by("-first_published_at")
        )
        return context

    class Meta:
        verbose_name = "article index"


class ArticlePage(MedicalContentPage):
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
    tags = ClusterTaggableManager(through="immunotherapy.ArticlePageTag", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("publication_date"),
        FieldPanel("author"),
        FieldPanel("tags"),
        FieldPanel("body"),
        InlinePanel("related_therapies", label="Related therapy types"),
        *MedicalContentPage.medical_panels,
    ]
    search_fields = [
        *MedicalContentPage.search_fields,
        index.SearchField("intro"),
        index.FilterField("publication_date"),
    ]
    api_fields = [
        APIField("intro"),
        APIField("publication_date"),
        APIField("author"),
        APIField("tags"),
        APIField("body"),
        APIField("related_therapies"),
        *MedicalContentPage.api_fields,
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
        # Asked for twice per page view (the related links and the structured data): one query.
        if not hasattr(self, "_related_therapy_pages"):
            self._related_therapy_pages = [
                link.therapy_page for link in self.related_therapies.select_related("therapy_page")
            ]
        return self._related_therapy_pages

    def live_related_therapy_pages(self) -> list[Page]:
        """The related therapy type pages readers can open: the links under the article."""
        return [therapy_page for therapy_page in self.related_therapy_pages() if therapy_page.live]

    def sections(self) -> list[TocEntry]:
        """The "On this page" list, ending with the related therapy types when there are any."""
        entries = super().sections()
        if self.live_related_therapy_pages():
            entries.append(TocEntry("Related therapy types", RELATED_ANCHOR))
        return entries

    def structured_data_about(self) -> list[dict[str, Any]]:
        """The therapies the article is about."""
        return [
            {"@type": "MedicalTherapy", "name": therapy_page.title}
            for therapy_page in self.related_therapy_pages()
        ]

    class Meta:
        verbose_name = "article"


class ArticlePageTag(TaggedItemBase):
    """A tag on an article (WordPress categories and tags arrive as these)."""

    content_object = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="tagged_items")


class StandardPage(CommentsMixin, FrontEndPreviewMixin, SectionsMixin, Page):
    """A plain page such as “About us” or “Contact”: an optional introduction and a body."""

    intro = models.TextField(blank=True, help_text="Optional: a sentence or two under the title.")
    body = StreamField(ArticleStreamBlock(), blank=True)

    api_base_form_class = BlankBlocksRefusedPageForm  # API v3 writes refuse blank blocks
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    settings_panels = [*Page.settings_panels, *CommentsMixin.comments_panels]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body"), *CommentsMixin.comments_api_fields]

    parent_page_types = ["home.HomePage", "immunotherapy.ArticleIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "standard page"


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
