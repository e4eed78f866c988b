"""The admin's word for a page waiting in the medical review."""

from django import template

from wagtail.models import Page

from immunotherapy.models import MedicalReviewTask

register = template.Library()

# What Wagtail 8.0's `Page.status_string` says of a page in a workflow -> ours, in the medical
# review. Only Wagtail's English words are replaced: another admin language keeps its own.
IN_MEDICAL_REVIEW = {
    "in moderation": "in medical review",
    "live + in moderation": "live + in medical review",
}


@register.filter
def review_status(page: Page) -> str:
    """Wagtail's status of the page ("draft", "live + draft", "in moderation"...), with "in
    medical review" for "in moderation" while the page waits for a medical reviewer."""
    status = str(page.status_string)
    if status in IN_MEDICAL_REVIEW and isinstance(page.current_workflow_task, MedicalReviewTask):
        return IN_MEDICAL_REVIEW[status]
    return status
