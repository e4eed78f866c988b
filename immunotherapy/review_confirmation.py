"""Reviewers confirm a live, unchanged page that is due still accurate: a new review date in
their name, published without a content change and logged."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings

from wagtail.log_actions import log

from immunotherapy.models import MedicalContentPage, MedicalReviewer, MedicalReviewTask

REVIEW_CONFIRMED = "immunotherapy.review_confirmed"


def user_is_medical_reviewer(user: Any) -> bool:
    """Superusers, and members of a group that approves the medical review task."""
    if user.is_superuser:
        return True
    return MedicalReviewTask.objects.filter(active=True, groups__user=user).exists()


def review_confirmation_refusal(*, page: Any, user: Any, today: date | None = None) -> str:
    """Why `user` may not confirm `page` (specific) still accurate; empty when they may."""
    today = today or date.today()
    if not isinstance(page, MedicalContentPage):
        return "Only pages with a medical review can be confirmed."
    if not user_is_medical_reviewer(user):
        return "Only medical reviewers can confirm a page still accurate."
    if not page.live or page.has_unpublished_changes:
        return (
            "This page has changes that are not live: review them through the "
            "“Medical review” workflow instead."
        )
    if page.workflow_in_progress:
        return "This page is in the “Medical review” workflow: approve or reject it there."
    due_from = today + timedelta(days=settings.MEDICAL_REVIEW_DUE_SOON_DAYS)
    if page.next_review_due and page.next_review_due > due_from:
        return f"This page is not due for review until {page.next_review_due:%-d %B %Y}."
    return ""


def review_confirm_unchanged(*, page: Any, user: Any) -> Any:
    """Publish `page` unchanged with today's review by `user`; logged as a confirmed review."""
    reviewer = MedicalReviewer.for_user(user)
    revision = page.record_review(user=user, reviewer=reviewer)
    revision.publish(user=user)
    page.refresh_from_db()
    log(
        instance=page,
        action=REVIEW_CONFIRMED,
        user=user,
        revision=revision,
        data={"reviewer": str(reviewer), "next_review_due": page.next_review_due.isoformat()},
    )
    return revision
