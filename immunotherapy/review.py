"""Medical review services: review dates and recording a reviewer's approval on a page."""

import calendar
from datetime import date
from typing import Any

from django.conf import settings


def add_months(day: date, months: int) -> date:
    """`day` moved on by `months` calendar months (31 January + 1 month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def default_next_review(last_reviewed: date) -> date:
    """When a page reviewed on `last_reviewed` is next due, by `MEDICAL_REVIEW_INTERVAL_MONTHS`."""
    return add_months(last_reviewed, settings.MEDICAL_REVIEW_INTERVAL_MONTHS)


def medical_reviewer_for_user(*, user: Any) -> Any:
    """The reviewer snippet linked to `user`, created from the user's name if there is none."""
    from immunotherapy.models import MedicalReviewer

    reviewer, _ = MedicalReviewer.objects.get_or_create(
        user=user, defaults={"name": user.get_full_name() or user.get_username()}
    )
    return reviewer


def review_record(*, page: Any, user: Any, on: date | None = None) -> Any:
    """Save a new revision of `page` naming `user`'s reviewer snippet and today's review dates."""
    reviewed_on = on or date.today()
    latest = page.get_latest_revision_as_object()
    latest.medical_reviewer = medical_reviewer_for_user(user=user)
    latest.last_reviewed = reviewed_on
    latest.next_review_due = default_next_review(reviewed_on)
    return latest.save_revision(user=user, clean=False, log_action=False)
