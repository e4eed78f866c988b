"""The medical review task of the "Medical review" workflow, and the site's trust settings."""

from datetime import date
from typing import Any

from django.db import models, transaction

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import AbstractGroupApprovalTask, Orderable

from modelcluster.fields import ParentalKey

DEFAULT_DISCLAIMER = (
    "This information is for education only. It is not medical advice and does not replace "
    "the advice of your own doctor or care team. Talk to them before you start, stop or change "
    "any treatment."
)


class MedicalReviewTask(AbstractGroupApprovalTask):
    """A group approval that records the approving reviewer and today's date on the page."""

    @transaction.atomic
    def on_action(self, task_state: Any, user: Any, action_name: str, **kwargs: Any) -> None:
        if action_name == "approve":
            from immunotherapy.models.base import ReviewDatesMixin
            from immunotherapy.review import review_record

            content_object = task_state.workflow_state.content_object
            if isinstance(content_object.specific, ReviewDatesMixin):
                # Recorded before approving, so the revision the workflow publishes (its
                # object's latest, read from this cached instance) carries the review.
                revision = review_record(page=content_object.specific, user=user)
                content_object.latest_revision = revision
        super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls) -> str:
        return "Medical reviewers approve the content; the page then shows them and the date."

    class Meta:
        verbose_name = "medical review task"


@register_setting(icon="warning")
class MedicalSiteSettings(BaseSiteSetting):
    """The medical disclaimer on every page, and how overdue reviews are shown to readers."""

    disclaimer = models.TextField(
        default=DEFAULT_DISCLAIMER,
        help_text="Shown at the foot of every page and in the API. Plain text.",
    )
    show_overdue_banner = models.BooleanField(
        "show “under review” banner",
        default=False,
        help_text="Tell readers when a page's next medical review date has passed.",
    )

    panels = [FieldPanel("disclaimer"), FieldPanel("show_overdue_banner")]

    class Meta:
        verbose_name = "medical review and disclaimer"


class PageChangeNote(Orderable):
    """A dated "What changed in this update" note, listed on the page for readers."""

    page = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="change_notes")
    date = models.DateField(default=date.today)
    note = models.CharField(
        max_length=300,
        help_text="In plain words, what changed in this update, e.g. “Added the 2026 approval.”",
    )

    panels = [FieldPanel("date"), FieldPanel("note")]
    api_fields = [APIField("date"), APIField("note")]

    class Meta(Orderable.Meta):
        verbose_name = "change note"
        ordering = ["-date", "sort_order"]


def site_disclaimer(site_id: int | None) -> str:
    """The medical disclaimer of a site, read once per content change rather than per page.

    Kept in the cache under the API cache's generation, which any content save (this setting
    included) moves on. Read without `for_site()`, which would create the row (and so drop cached
    API answers) in the middle of an API read.
    """
    from site_config.http_cache import cached_until_content_changes

    def read() -> str:
        site_settings = MedicalSiteSettings.objects.filter(site_id=site_id).first()
        return site_settings.disclaimer if site_settings else DEFAULT_DISCLAIMER

    return cached_until_content_changes(f"medical-disclaimer:{site_id}", read)
