"""Publishing rules beyond the edit form: therapy pages lacking required blocks stay unpublished.

The edit form (admin and API v3 writes) already refuses; these guards cover the paths that
publish a stored revision without a form: API v3's publish action, the admin's bulk publish,
scheduled publishing and `page.publish()` in code.
"""

from typing import Any

from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Page
from wagtail.utils.forms import FormValidationError


def unpublishable_reasons(page: Page) -> list[str]:
    """Why this (specific) page may not be published; empty when it may."""
    # Pages with rules of their own (TherapyPage) list what they lack; the models use this
    # module, so it asks the page rather than importing them.
    refusals = getattr(page, "publishing_refusals", None)
    return refusals() if refusals else []


def check_publishable(page: Page) -> None:
    reasons = unpublishable_reasons(page)
    if reasons:
        raise FormValidationError({("body",): [(reason, "required") for reason in reasons]})


class PublishTherapyPageRevisionAction(PublishPageRevisionAction):
    """Wagtail's page publish action, refusing a therapy revision without its required blocks."""

    def check(self, skip_permission_checks: bool = False) -> None:
        super().check(skip_permission_checks=skip_permission_checks)
        check_publishable(self.revision.as_object())


def latest_content(page: Page) -> Any:
    revision = page.specific.get_latest_revision()
    return revision.as_object() if revision else page.specific
