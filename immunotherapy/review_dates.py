"""Medical review dates: when a page reviewed on a given day is next due."""

import calendar
from datetime import date

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
