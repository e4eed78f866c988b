"""The site root."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import HttpRequest

from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.admin.widgets import AdminPageChooser
from wagtail.api import APIField
from wagtail.models import Orderable, Page

from modelcluster.fields import ParentalKey
from rest_framework.fields import JSONField

from immunotherapy.models import ArticlePage
from immunotherapy.preview import FrontEndPreviewMixin
from immunotherapy.registry import registry
from immunotherapy.selectors import private_pages_q, therapy_cards_load, therapy_pages_featured


def featurable_models() -> list[type[Page]]:
    """The page types an editor may feature on the home page: therapy pages and articles."""
    return [*registry.page_models(), ArticlePage]


class HomePage(FrontEndPreviewMixin, Page):
    """The front page: a hero, the therapy types, then the latest articles."""

    hero_heading = models.CharField(max_length=255, blank=True)
    hero_text = models.TextField(blank=True, help_text="A short welcome under the heading.")

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_heading"),
        FieldPanel("hero_text"),
        InlinePanel(
            "featured_choices",
            label="Featured pages",
            help_text="Therapy pages or articles to show first, in this order. Leave empty to "
            "show one page of each therapy type.",
        ),
    ]
    api_fields = [
        APIField("hero_heading"),
        APIField("hero_text"),
        APIField(
            "featured_pages", serializer=JSONField(source="featured_pages_api", read_only=True)
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def latest_articles(self, limit: int = 6, private: Q | None = None) -> list[ArticlePage]:
        private = Page.objects.private_q() if private is None else private
        return list(
            ArticlePage.objects.descendant_of(self)
            .live()
            .exclude(private)
            .defer_streamfields()
            .order_by("-first_published_at")[:limit]
        )

    def featured_pages(self, private: Q | None = None) -> list[Page]:
        """The editor's choice of live, public pages as cards, else one page per therapy type.

        A query for the choice, then the cards' summaries and images (three more).
        """
        private = Page.objects.private_q() if private is None else private
        chosen = (
            Page.objects.live()
            .exclude(private)
            .filter(featured_on_home__home=self)
            .order_by("featured_on_home__sort_order")
        )
        pages = list({page.pk: page for page in chosen}.values())  # each page once
        if not pages:
            return therapy_pages_featured(root=self, private=private)
        therapy_cards_load(pages)
        for page in pages:
            page.featured_by_editor = True
        articles = [page.pk for page in pages if page.specific_class is ArticlePage]
        if articles:  # an article's card shows its introduction
            intros = dict(ArticlePage.objects.filter(pk__in=articles).values_list("pk", "intro"))
            for page in pages:
                page.summary = intros.get(page.pk, page.summary)
        return pages

    def featured_pages_api(self) -> list[dict[str, Any]]:
        """The featured cards for API readers: what the HTML home page shows, in its order."""
        return [
            {
                "id": page.pk,
                "type": page.specific_class._meta.label,
                "title": page.title,
                "url": page.url,
                "summary": page.summary,
                "image": page.card_image.url if getattr(page, "card_image", None) else None,
            }
            for page in self.featured_pages()
        ]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        private = private_pages_q(request)  # the view restrictions, read once for every list
        context["latest_articles"] = self.latest_articles(private=private)
        context["featured_pages"] = self.featured_pages(private=private)
        context["featured_by_editor"] = any(
            getattr(page, "featured_by_editor", False) for page in context["featured_pages"]
        )
        return context

    class Meta:
        verbose_name = "home page"


class FeaturedPageChooserPanel(PageChooserPanel):
    """A page chooser offering only the page types the home page can feature."""

    def get_form_options(self) -> dict[str, Any]:
        # Built when the admin first needs the form, after plugins have registered.
        options = super().get_form_options()
        options.setdefault("widgets", {})[self.field_name] = AdminPageChooser(
            target_models=featurable_models()
        )
        return options


class HomeFeaturedPage(Orderable):
    """A page an editor puts on the home page, in the order they choose."""

    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_choices")
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="featured_on_home",
        help_text="A published therapy page or article.",
    )

    panels = [FeaturedPageChooserPanel("page")]

    def clean(self) -> None:
        super().clean()
        if not self.page_id:
            return
        if self.page.specific_class not in featurable_models():
            raise ValidationError({"page": "Choose a therapy page or an article."})
        if not self.page.live:
            raise ValidationError({"page": "This page is not published: publish it first."})

    class Meta(Orderable.Meta):
        verbose_name = "featured page"
