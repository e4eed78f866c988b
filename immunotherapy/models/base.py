"""The abstract therapy page every therapy plugin builds on, and the mixins it is made of."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, Panel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from rest_framework.fields import JSONField

from comments.models import CommentsMixin
from immunotherapy.blocks import TherapyStreamBlock, chosen_snippets, image_api_representation
from immunotherapy.fields import StreamField
from immunotherapy.preview import FrontEndPreviewMixin
from immunotherapy.reading_level import READING_GRADE_TARGET, reading_grade
from immunotherapy.review import default_next_review

FALLBACK_THERAPY_TEMPLATE = "immunotherapy/therapy_page.html"


class ReviewDatesMixin(models.Model):
    """Who medically reviewed the content, when, and when the next review is due."""

    api_select_related = ["medical_reviewer"]

    medical_reviewer = models.ForeignKey(
        "immunotherapy.MedicalReviewer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Filled in when a reviewer approves the page in the Medical review workflow.",
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(
        null=True,
        blank=True,
        help_text="Left empty, it is set to a year after the last review.",
    )

    review_panels = [
        MultiFieldPanel(
            [
                FieldPanel("medical_reviewer"),
                FieldPanel("last_reviewed"),
                FieldPanel("next_review_due"),
            ],
            heading="Medical review",
        ),
        InlinePanel(
            "change_notes",
            label="What changed in this update",
            help_text="Optional: add a dated note when you publish a change readers should know.",
        ),
    ]
    api_fields = [
        APIField("last_reviewed", writable=True),
        APIField("next_review_due", writable=True),
        APIField("reviewed_by"),
        APIField("medical_disclaimer"),
        APIField("change_notes"),
    ]

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.last_reviewed and not self.next_review_due:
            self.next_review_due = default_next_review(self.last_reviewed)
        if (
            self.last_reviewed
            and self.next_review_due
            and self.next_review_due < self.last_reviewed
        ):
            raise ValidationError({"next_review_due": "The next review must come after the last."})

    @property
    def reviewed_by(self) -> dict | None:
        """The medical reviewer for API readers."""
        reviewer = self.medical_reviewer
        return reviewer.api_representation() if reviewer else None

    @property
    def medical_disclaimer(self) -> str:
        """The site-wide medical disclaimer (Settings → Medical review and disclaimer)."""
        from immunotherapy.models.review import site_disclaimer

        url_parts = self.get_url_parts()
        return site_disclaimer(url_parts[0] if url_parts else None)

    @property
    def review_overdue(self) -> bool:
        """True once the next review date has passed."""
        return bool(self.next_review_due and self.next_review_due < date.today())


class ReadingLevelPanel(Panel):
    """Shows editors the reading grade of the saved text, warning above the target grade."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "immunotherapy/admin/reading_level_panel.html"

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            grade = reading_grade(self.instance) if self.instance.pk else None
            context.update(
                grade=grade,
                target=READING_GRADE_TARGET,
                too_hard=grade is not None and grade > READING_GRADE_TARGET,
            )
            return context


class ReadingLevelMixin:
    """The reading grade of a page's text, for editors (a panel) and API readers."""

    reading_panels = [ReadingLevelPanel(heading="Reading level")]
    api_fields = [APIField("reading_grade")]

    @property
    def reading_grade(self) -> float | None:
        return reading_grade(self)


class SectionsMixin:
    """The section blocks of a page's `body`, for its table of contents."""

    def sections(self) -> list:
        """The section blocks, for the table of contents."""
        return [block.value for block in self.body if block.block_type == "section"]


class TherapyPage(
    CommentsMixin, FrontEndPreviewMixin, ReviewDatesMixin, ReadingLevelMixin, SectionsMixin, Page
):
    """A page about one therapy type: summary, hero image, structured body and review dates.

    Plugins subclass it (and usually `TherapyStreamBlock` for `body`) to add a therapy type.
    """

    summary = models.TextField(help_text="Two or three plain sentences shown in listings.")
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        "hero image alt text",
        max_length=255,
        blank=True,
        help_text="Describe the image for people who cannot see it. Required with an image.",
    )
    body = StreamField(TherapyStreamBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading="Hero image"
        ),
        FieldPanel("body"),
        *ReadingLevelMixin.reading_panels,
        *ReviewDatesMixin.review_panels,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    api_fields = [
        APIField("summary", writable=True),
        APIField("hero"),
        APIField("body", writable=True),
        *ReviewDatesMixin.api_fields,
        APIField(
            "therapy_type", serializer=JSONField(source="therapy_type_summary", read_only=True)
        ),
        *CommentsMixin.comments_api_fields,
        *ReadingLevelMixin.api_fields,
        APIField("bibliography"),
    ]

    settings_panels = [*Page.settings_panels, *CommentsMixin.comments_panels]

    parent_page_types = ["immunotherapy.TherapyIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    def clean(self) -> None:
        errors: dict[str, list] = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if self.hero_image_id and not self.hero_image_alt.strip():
            errors.setdefault("hero_image_alt", []).append("Every image needs alt text.")
        if errors:
            raise ValidationError(errors)

    @property
    def hero(self) -> dict | None:
        """The hero image for API readers."""
        return image_api_representation(self.hero_image, self.hero_image_alt)

    @property
    def therapy_type(self) -> Any:
        from immunotherapy.registry import registry

        return registry.for_page(self)

    @property
    def therapy_type_summary(self) -> dict | None:
        """The page's therapy type for API readers: slug, label and description."""
        therapy_type = self.therapy_type
        if therapy_type is None:
            return None
        return {
            "slug": therapy_type.slug,
            "label": therapy_type.label,
            "description": therapy_type.description,
        }

    def references(self) -> list:
        """Every reference cited in the body, once each, in order of first citation."""
        return chosen_snippets(self.body, "evidence", "references")

    def citation_numbers(self) -> dict[int, int]:
        """Each cited reference's id mapped to its number in the bibliography."""
        return {reference.pk: number for number, reference in enumerate(self.references(), 1)}

    @property
    def bibliography(self) -> list[dict[str, Any]]:
        """The numbered references for API readers, in the order the page cites them."""
        return [
            {"number": number, **reference.api_representation()}
            for number, reference in enumerate(self.references(), 1)
        ]

    def publish(self, revision: Any, *args: Any, **kwargs: Any) -> Any:
        """Publish `revision`, refusing it when the body lacks its required blocks."""
        from immunotherapy.publishing import PublishTherapyPageRevisionAction

        skip = kwargs.pop("skip_permission_checks", False)
        return PublishTherapyPageRevisionAction(revision, *args, **kwargs).execute(
            skip_permission_checks=skip
        )

    def get_template(self, request: HttpRequest, *args: Any, **kwargs: Any) -> list[str]:
        """The plugin's own template if it ships one, else the generic therapy template."""
        return [self.template, FALLBACK_THERAPY_TEMPLATE]
