"""Reusable facts editors choose in blocks: agents, glossary terms and references; reviewers."""

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.search import index

from comments.validators import VisibleTextValidator, validate_single_line
from immunotherapy.forms import MedicalReviewerForm

DOI_VALIDATOR = RegexValidator(
    r"^10\.\d{4,9}/\S+$", "Enter a DOI such as 10.1056/NEJMoa1503093 (no https://doi.org/)."
)
# A note a brand name carries in brackets: "Opdualag (with nivolumab)".
BRACKETED_NOTE = re.compile(r"\s*\(([^()]*)\)")
PMID_VALIDATOR = RegexValidator(r"^[1-9]\d{0,8}$", "Enter a PubMed ID: digits only, e.g. 25891173.")
# Names, terms and titles: the rules for a reader's name (one line a reader can see), so neither
# the admin nor API v3 stores control characters or text made only of invisible ones.
SHORT_TEXT: list[Callable[[str], None]] = [
    validate_single_line,
    VisibleTextValidator("Type visible text: this has only spaces or invisible characters."),
]


def comma_separated(names: str) -> list[str]:
    """ "Keytruda, MK-3475" as ["Keytruda", "MK-3475"]."""
    return [name.strip() for name in names.split(",") if name.strip()]


def required_panel(field_name: str) -> FieldPanel:
    """A required text field that is also required when saved through API v3.

    These snippets have no drafts, yet Wagtail's create and edit actions (wagtail.actions.create
    and .edit) defer required text fields on every save that is not a publish, as if saving a
    draft: a blank `term` was stored. `required_on_save` keeps the field required.
    """
    return FieldPanel(field_name, required_on_save=True)


class Agent(index.Indexed, models.Model):
    """A drug or cell product, with its target, class and approvals, shown in agent tables."""

    generic_name = models.CharField(max_length=120, unique=True, validators=SHORT_TEXT)
    brand_names = models.CharField(
        max_length=255,
        blank=True,
        validators=SHORT_TEXT,
        help_text="Comma-separated, e.g. Keytruda.",
    )
    synonyms = models.CharField(
        max_length=255,
        blank=True,
        validators=SHORT_TEXT,
        help_text="Other names readers may search for, comma-separated, e.g. MK-3475.",
    )
    # Free text, not choices: each therapy plugin brings agents with targets and classes of its
    # own, and core must not list them.
    target = models.CharField(
        max_length=40,
        validators=SHORT_TEXT,
        help_text="What it acts on, e.g. PD-1, CTLA-4, CD19 or BCMA.",
    )
    drug_class = models.CharField(
        max_length=40,
        validators=SHORT_TEXT,
        help_text="The kind of medicine, e.g. checkpoint inhibitor or CAR-T cell therapy.",
    )
    approved_indications = models.TextField(
        blank=True, help_text="Cancers it is approved for, in plain words."
    )
    first_approval_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text="Year of the first approval by a major regulator (FDA or EMA).",
    )

    panels = [
        required_panel("generic_name"),
        FieldPanel("brand_names"),
        FieldPanel("synonyms"),
        required_panel("target"),
        required_panel("drug_class"),
        FieldPanel("approved_indications"),
        FieldPanel("first_approval_year"),
    ]
    api_fields = [
        APIField("generic_name", writable=True),
        APIField("brand_names", writable=True),
        APIField("synonyms", writable=True),
        APIField("target", writable=True),
        APIField("drug_class", writable=True),
        APIField("approved_indications", writable=True),
        APIField("first_approval_year", writable=True),
    ]
    search_fields = [
        index.SearchField("generic_name"),
        index.AutocompleteField("generic_name"),
        index.SearchField("brand_names"),
        index.AutocompleteField("brand_names"),
        index.SearchField("synonyms"),
        index.SearchField("approved_indications"),
        index.FilterField("target"),
        index.FilterField("drug_class"),
    ]

    class Meta:
        ordering = [Lower("generic_name")]

    def __str__(self) -> str:
        return self.generic_name

    def brand_names_text(self) -> str:
        """The brand names as read in brackets after the generic name. A note a brand name
        carries in brackets becomes a clause ("Opdualag, with nivolumab"), so brackets never
        nest; such names are then set apart by semicolons."""
        brands = [BRACKETED_NOTE.sub(r", \1", name) for name in comma_separated(self.brand_names)]
        return ("; " if any("," in brand for brand in brands) else ", ").join(brands)

    def name_with_brands(self) -> str:
        """The medicine as running text names it: "relatlimab (Opdualag, with nivolumab)"."""
        brands = self.brand_names_text()
        return f"{self.generic_name} ({brands})" if brands else self.generic_name

    def search_names(self) -> str:
        """Every name readers may know it by: generic, brand names and synonyms."""
        return " ".join([self.generic_name, self.brand_names, self.synonyms]).replace(",", " ")

    def api_representation(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "generic_name": self.generic_name,
            "brand_names": comma_separated(self.brand_names),
            "synonyms": comma_separated(self.synonyms),
            "target": self.target,
            "drug_class": self.drug_class,
            "approved_indications": self.approved_indications,
            "first_approval_year": self.first_approval_year,
        }


class GlossaryTerm(index.Indexed, models.Model):
    """A word patients may not know, with a plain-language definition shown on hover."""

    term = models.CharField(max_length=120, unique=True, validators=SHORT_TEXT)
    definition = models.TextField(help_text="One or two plain sentences.")

    panels = [required_panel("term"), required_panel("definition")]
    api_fields = [APIField("term", writable=True), APIField("definition", writable=True)]
    search_fields = [
        index.SearchField("term"),
        index.AutocompleteField("term"),
        index.SearchField("definition"),
        index.AutocompleteField("definition"),
    ]

    class Meta:
        ordering = [Lower("term")]

    def __str__(self) -> str:
        return self.term

    def api_representation(self) -> dict[str, Any]:
        return {"id": self.pk, "term": self.term, "definition": self.definition}


class Reference(index.Indexed, models.Model):
    """A published source (trial report, guideline) cited in evidence blocks."""

    title = models.CharField(max_length=500, validators=SHORT_TEXT)
    authors = models.CharField(
        max_length=500, validators=SHORT_TEXT, help_text="e.g. Robert C, Schachter J, et al."
    )
    journal = models.CharField(max_length=255, validators=SHORT_TEXT)
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    doi = models.CharField("DOI", max_length=255, blank=True, validators=[DOI_VALIDATOR])
    pmid = models.CharField("PMID", max_length=9, blank=True, validators=[PMID_VALIDATOR])
    url = models.URLField("URL", blank=True)

    panels = [
        required_panel("title"),
        required_panel("authors"),
        required_panel("journal"),
        FieldPanel("year"),
        FieldPanel("doi"),
        FieldPanel("pmid"),
        FieldPanel("url"),
    ]
    api_fields = [
        APIField("title", writable=True),
        APIField("authors", writable=True),
        APIField("journal", writable=True),
        APIField("year", writable=True),
        APIField("doi", writable=True),
        APIField("pmid", writable=True),
        APIField("url", writable=True),
    ]
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("authors"),
        index.AutocompleteField("authors"),
        index.AutocompleteField("doi"),
        index.SearchField("journal"),
        index.FilterField("year"),
        index.FilterField("journal"),
    ]

    class Meta:
        ordering = ["-year", Lower("title")]

    def __str__(self) -> str:
        return f"{self.authors.split(',')[0]} ({self.year}). {self.title}"

    @property
    def link(self) -> str:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url

    def api_representation(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "title": self.title,
            "authors": self.authors,
            "journal": self.journal,
            "year": self.year,
            "doi": self.doi,
            "pmid": self.pmid,
            "url": self.url,
            "link": self.link,
        }


# Without it, a reviewer edits only the record linked to their own user.
MANAGE_REVIEWERS = "manage_medicalreviewer"


class MedicalReviewer(index.Indexed, models.Model):
    """A clinician who checks pages before they go live, named on the pages they reviewed."""

    name = models.CharField(max_length=255, validators=SHORT_TEXT)
    credentials = models.CharField(
        max_length=255,
        blank=True,
        validators=SHORT_TEXT,
        help_text="e.g. MD, FRCP, consultant medical oncologist.",
    )
    affiliation = models.CharField(
        max_length=255,
        blank=True,
        validators=SHORT_TEXT,
        help_text="e.g. Royal Marsden Hospital, London.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="medical_reviewer",
        help_text="The admin user who approves reviews as this person.",
    )

    panels = [
        required_panel("name"),
        FieldPanel("credentials"),
        FieldPanel("affiliation"),
        FieldPanel("user", permission=f"immunotherapy.{MANAGE_REVIEWERS}"),
    ]
    base_form_class = MedicalReviewerForm
    api_fields = [
        APIField("name", writable=True),
        APIField("credentials", writable=True),
        APIField("affiliation", writable=True),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("affiliation"),
    ]

    class Meta:
        ordering = [Lower("name")]
        permissions = [(MANAGE_REVIEWERS, "Can edit every medical reviewer and link their users")]

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @classmethod
    def for_user(cls, user: Any, credentials: str = "") -> "MedicalReviewer":
        """The reviewer linked to `user`, created from the user's name if there is none;
        `credentials`, when given, are recorded on it."""
        credentials = credentials.strip()
        reviewer, created = cls.objects.get_or_create(
            user=user,
            defaults={
                "name": user.get_full_name() or user.get_username(),
                "credentials": credentials,
            },
        )
        if credentials and not created and reviewer.credentials != credentials:
            reviewer.credentials = credentials
            reviewer.save(update_fields=["credentials"])
        return reviewer

    def api_representation(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "name": self.name,
            "credentials": self.credentials,
            "affiliation": self.affiliation,
        }
