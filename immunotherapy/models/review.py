"""The medical review task of the "Medical review" workflow, and the change notes readers see."""

from datetime import date
from typing import Any

from django import forms
from django.db import models, transaction
from django.urls import reverse

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask, Orderable

from modelcluster.fields import ParentalKey

from immunotherapy.models.base import MedicalContentPage
from immunotherapy.models.snippets import MedicalReviewer


def credentials_field(*, required: bool, then: str) -> forms.CharField:
    """The approving reviewer's credentials, which readers see beside their name."""
    return forms.CharField(
        label="Your credentials",
        required=required,
        max_length=255,
        help_text=(
            f"As readers will see them beside your name, e.g. “MD, consultant medical "
            f"oncologist”. {then}"
        ),
    )


class ReviewApprovalForm(TaskStateCommentForm):
    """The approval form of a reviewer with credentials on record."""

    credentials = credentials_field(
        required=False, then="Needed once: leave empty to keep those on your reviewer record."
    )


class FirstReviewApprovalForm(ReviewApprovalForm):
    """The approval form of a reviewer with no credentials on record: asks for them."""

    credentials = credentials_field(
        required=True, then="Kept on your reviewer record for your next reviews."
    )


class MedicalReviewTask(AbstractGroupApprovalTask):
    """A group approval that records the approving reviewer and today's date on the page."""

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, str, bool]]:
        # Wagtail offers "Approve" without a form; ours always opens the form (credentials).
        return [
            (name, label, True if name == "approve" else modal)
            for name, label, modal in super().get_actions(obj, user)
            if (name, label) != ("approve", "Approve with comment")
        ]

    def get_form_for_action(self, action: str) -> type[forms.Form]:
        return ReviewApprovalForm if action == "approve" else super().get_form_for_action(action)

    @transaction.atomic
    def on_action(self, task_state: Any, user: Any, action_name: str, **kwargs: Any) -> Any:
        credentials = kwargs.pop("credentials", "")
        if action_name == "approve":
            content_object = task_state.workflow_state.content_object
            if isinstance(content_object.specific, MedicalContentPage):
                reviewer = MedicalReviewer.for_user(user, credentials=credentials)
                if not reviewer.credentials:
                    # Not approved. Wagtail's workflow view sends the reviewer to the URL
                    # on_action returns; that view says why (on_action has no request).
                    return reverse("review_refused_no_credentials", args=[content_object.pk])
                # Recorded before approving, so the revision the workflow publishes (its
                # object's latest, read from this cached instance) carries the review.
                revision = content_object.specific.record_review(user=user, reviewer=reviewer)
                content_object.latest_revision = revision
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls) -> str:
        return "Medical reviewers approve the content; the page then shows them and the date."

    class Meta:
        verbose_name = "medical review task"


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
