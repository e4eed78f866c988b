"""The reviewers' "Confirm still accurate" admin action on a page that is due for review."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from wagtail.models import Page

from immunotherapy.models import MedicalReviewer
from immunotherapy.review_confirmation import review_confirm_unchanged, review_confirmation_refusal


def confirm_still_accurate(request: HttpRequest, page_id: int) -> HttpResponse:
    """GET asks the reviewer to confirm; POST stamps today's review and publishes the page.
    Only a POST writes."""
    page: Any = get_object_or_404(Page, pk=page_id).specific
    refusal = review_confirmation_refusal(page=page, user=request.user)
    if refusal:
        messages.error(request, f"“{page.get_admin_display_title()}” was not confirmed. {refusal}")
        return redirect("wagtailadmin_pages:edit", page.pk)
    # Readers see the reviewer's credentials beside their name: no confirming without them.
    user: Any = request.user  # signed in: the admin lets no one else in
    record = MedicalReviewer.objects.filter(user=user).first()
    if record is None or not record.credentials:
        url = "wagtailsnippets_immunotherapy_medicalreviewer:"
        record_url = reverse(f"{url}edit", args=[record.pk]) if record else reverse(f"{url}add")
        return TemplateResponse(
            request,
            "immunotherapy/admin/confirm_still_accurate.html",
            {"page": page, "reviewer_record": record, "reviewer_record_url": record_url},
        )
    if request.method == "POST":
        review_confirm_unchanged(page=page, user=request.user)
        page.refresh_from_db()
        messages.success(
            request,
            f"“{page.get_admin_display_title()}” confirmed still accurate: reviewed today, "
            f"next review due {page.next_review_due:%-d %B %Y}.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request, "immunotherapy/admin/confirm_still_accurate.html", {"page": page}
    )
