"""The abstract medical content page (therapy pages and articles) and the therapy page plugins
build on."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.text import slugify

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, Panel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from rest_framework.fields import JSONField

from comments.models import CommentsMixin
from immunotherapy import structured_data
from immunotherapy.blocks import (
    TherapyStreamBlock,
    chosen_snippets,
    image_api_representation,
    snippets_of_type,
)
from immunotherapy.blocks.streams import missing_required_blocks
from immunotherapy.fields import StreamField
from immunotherapy.forms import BlankBlocksRefusedPageForm
from immunotherapy.models.site_settings import site_disclaimer
from immunotherapy.models.snippets import Agent, MedicalReviewer
from immunotherapy.panels import PublishingChecklistPanel
from immunotherapy.preview import FrontEndPreviewMixin
from immunotherapy.publishing import PublishTherapyPageRevisionAction
from immunotherapy.reading_level import READING_GRADE_TARGET, reading_grade
from immunotherapy.registry import TherapyType, registry
from immunotherapy.review_dates import default_next_review

FALLBACK_THERAPY_TEMPLATE = "immunotherapy/therapy_page.html"


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


@dataclass(frozen=True)
class TocEntry:
    """One line of a page's "On this page" list."""

    heading: str
    anchor_id: str


REFERENCES_ANCHOR = "references"
RELATED_ANCHOR = "related-therapies"  # an article's related therapy types, after its references


class SectionsMixin:
    """The headed blocks of a page's `body` (sections, side effects, care cards, research,
    questions, plugins' headed blocks: see `immunotherapy.blocks.HeadedBlock`) with the anchors
    its "On this page" list links to."""

    body: Any  # the StreamField of the page mixing this in

    def body_blocks(self) -> list[tuple[Any, str]]:
        """Each body block with the id its wrapper carries ("" when it has none).

        A section carries its own anchor on its heading; any other block with a heading is
        reached through its wrapper, by an id made from the heading, unique on the page.
        """
        used = {REFERENCES_ANCHOR, RELATED_ANCHOR}
        used.update(b.value.anchor_id() for b in self.body if b.block_type == "section")
        out = []
        for block in self.body:
            heading = _block_heading(block)
            anchor = ""
            if heading and block.block_type != "section":
                base = slugify(heading) or block.block_type.replace("_", "-")
                anchor, number = base, 2
                while anchor in used:
                    anchor, number = f"{base}-{number}", number + 1
                used.add(anchor)
            out.append((block, anchor))
        return out

    def sections(self) -> list[TocEntry]:
        """The "On this page" list: every headed block, then the references if any."""
        entries = []
        for block, anchor in self.body_blocks():
            heading = _block_heading(block)
            if block.block_type == "section":
                entries.append(TocEntry(heading, block.value.anchor_id()))
            elif anchor:
                entries.append(TocEntry(heading, anchor))
        references = getattr(self, "references", None)
        if references is not None and references():
            entries.append(TocEntry("References", REFERENCES_ANCHOR))
        return entries


def _block_heading(block: Any) -> str:
    """The heading a body block is shown under, from its `toc_heading` (`HeadedBlock`s and any
    plugin block that defines one); "" for a block without a heading of its own."""
    toc_heading = getattr(block.block, "toc_heading", None)
    return " ".join(str(toc_heading(block.value)).split()) if toc_heading else ""


class MedicalContentPage(CommentsMixin, FrontEndPreviewMixin, SectionsMixin, Page):
    """Clinical content readers rely on: who reviewed it and when, its reading level, its
    comments, and the schema.org `MedicalWebPage` search engines read.

    Therapy pages and articles extend it; each adds its own fields before `medical_panels` and
    `api_fields`.
    """

    api_select_related = ["medical_reviewer"]
    api_base_form_class = BlankBlocksRefusedPageForm  # API v3 writes refuse blank blocks
    # Settings the API JSON shows: changing one rebuilds the stored JSON of the site's pages.
    api_settings = ["immunotherapy.MedicalSiteSettings"]

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

    # Subclasses end their content_panels with these: reading level, then the medical review.
    medical_panels = [
        ReadingLevelPanel(heading="Reading level"),
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
    settings_panels = [*Page.settings_panels, *CommentsMixin.comments_panels]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    api_fields = [
        APIField("last_reviewed", writable=True),
        APIField("next_review_due", writable=True),
        APIField("reviewed_by"),
        APIField("medical_disclaimer"),
        APIField("change_notes"),
        *CommentsMixin.comments_api_fields,
        APIField("reading_grade"),
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
        url_parts = self.get_url_parts()
        return site_disclaimer(url_parts[0] if url_parts else None)

    @property
    def review_overdue(self) -> bool:
        """True once the next review date has passed."""
        return bool(self.next_review_due and self.next_review_due < date.today())

    @property
    def reading_grade(self) -> float | None:
        """The reading grade of the page's text, for editors and API readers."""
        return reading_grade(self)

    def record_review(
        self, *, user: Any, reviewer: MedicalReviewer | None = None, on: date | None = None
    ) -> Any:
        """Save a new revision naming the reviewer (`user`'s snippet unless given) and the review
        dates of `on`."""
        reviewed_on = on or date.today()
        latest = self.get_latest_revision_as_object()
        latest.medical_reviewer = reviewer or MedicalReviewer.for_user(user)
        latest.last_reviewed = reviewed_on
        latest.next_review_due = default_next_review(reviewed_on)
        return latest.save_revision(user=user, clean=False, log_action=False)

    def references(self) -> list:
        """Every reference the body's evidence blocks cite, once each, in order of first
        citation: the page's numbered reference list."""
        return chosen_snippets(self.body, "evidence", "references")

    def citation_numbers(self) -> dict[int, int]:
        """Each cited reference's id mapped to its number in the reference list."""
        return {reference.pk: number for number, reference in enumerate(self.references(), 1)}

    @property
    def bibliography(self) -> list[dict[str, Any]]:
        """The numbered references for API readers, in the order the page cites them."""
        return [
            {"number": number, **reference.api_representation()}
            for number, reference in enumerate(self.references(), 1)
        ]

    def structured_data_about(self) -> list[dict[str, Any]]:
        """What the page is about, as schema.org things (`MedicalWebPage.about`)."""
        return []

    def structured_data(self) -> dict[str, Any]:
        """The schema.org `MedicalWebPage` JSON-LD search engines read for this page."""
        data = structured_data.web_page(self)
        if self.last_reviewed:
            data["lastReviewed"] = self.last_reviewed.isoformat()
        if self.medical_reviewer:
            data["reviewedBy"] = structured_data.person(self.medical_reviewer)
        about = self.structured_data_about()
        if about:
            data["about"] = about[0] if len(about) == 1 else about
        references = self.references()
        if references:
            data["citation"] = [structured_data.citation(reference) for reference in references]
        return data


class TherapyPage(MedicalContentPage):
    """A page about one therapy type: summary, hero image, structured body and review dates.

    Plugins subclass it (and usually `TherapyStreamBlock` for `body`) to add a therapy type.
    """

    # What the registry checks a plugin's page model by (it cannot import models: plugins'
    # apps.py import it before Django has loaded any model).
    is_therapy_page = True

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
        PublishingChecklistPanel(heading="Publishing checklist"),
        FieldPanel(
            "body",
            help_text=(
                "Sections, medicines, side effects, care cards, evidence and more. Before review "
                "the body needs a side effects block and a care card with level urgent or "
                "emergency (see the checklist above); drafts can be saved without them."
            ),
        ),
        *MedicalContentPage.medical_panels,
    ]
    search_fields = [
        *MedicalContentPage.search_fields,
        index.SearchField("summary"),
        # Chosen agents are ids in the body's JSON: their names are indexed here.
        index.SearchField("agent_names"),
    ]
    api_fields = [
        APIField("summary", writable=True),
        APIField("hero"),
        APIField("body", writable=True),
        APIField(
            "therapy_type", serializer=JSONField(source="therapy_type_summary", read_only=True)
        ),
        APIField("bibliography"),
        *MedicalContentPage.api_fields,
    ]

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
    def therapy_type(self) -> TherapyType | None:
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

    def agent_names(self) -> str:
        """Every name of the medicines the body shows (generic, brand, synonyms), for search."""
        return " ".join(agent.search_names() for agent in snippets_of_type(self.body, Agent))

    def structured_data_about(self) -> list[dict[str, Any]]:
        """The therapy and the drugs its agent tables name."""
        return [
            {"@type": "MedicalTherapy", "name": self.title},
            *(
                {"@type": "Drug", "name": agent.generic_name, "drugClass": agent.drug_class}
                for agent in chosen_snippets(self.body, "agent_table", "agents")
            ),
        ]

    def publishing_refusals(self) -> list[str]:
        """Why this page may not be published yet: the required blocks its body lacks."""
        return missing_required_blocks(self.body)

    def publish(self, revision: Any, *args: Any, **kwargs: Any) -> Any:
        """Publish `revision`, refusing it when the body lacks its required blocks."""
        skip = kwargs.pop("skip_permission_checks", False)
        return PublishTherapyPageRevisionAction(revision, *args, **kwargs).execute(
            skip_permission_checks=skip
        )

    def get_template(self, request: HttpRequest, *args: Any, **kwargs: Any) -> list[str]:
        """The plugin's own template if it ships one, else the generic therapy template."""
        return [self.template, FALLBACK_THERAPY_TEMPLATE]
