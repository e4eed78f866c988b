"""The "Reviews due" admin report: pages whose next medical review is past or coming soon."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings

from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

# Page editors see the report, its menu item and the dashboard panel.
REVIEWS_DUE_PERMISSIONS = ["add", "change", "publish"]


def user_can_see_reviews_due(user: Any) -> bool:
    """Whether `user` may add, change or publish some page."""
    return page_permission_policy.user_has_any_permission(user, REVIEWS_DUE_PERMISSIONS)


def review_models() -> list[type[Page]]:
    """Every concrete page model carrying medical review dates."""
    from immunotherapy.models import ArticlePage
    from immunotherapy.registry import registry

    return [ArticlePage, *registry.page_models()]


def pages_due_for_review(*, today: date | None = None) -> list[Page]:
    """Pages whose next review is past or within `MEDICAL_REVIEW_DUE_SOON_DAYS`, soonest first."""
    cutoff = (today or date.today()) + timedelta(days=settings.MEDICAL_REVIEW_DUE_SOON_DAYS)
    pages = [
        page
        for model in review_models()
        for page in model.objects.filter(next_review_due__lte=cutoff)
        .defer_streamfields()
        .select_related("medical_reviewer")
    ]
    return sorted(pages, key=lambda page: (page.next_review_due, page.title))


class ReviewsDueReportView(ReportView):
    """Pages to re-review: overdue or due soon, sortable, exportable to CSV and XLSX."""

    page_title = "Reviews due"
    header_icon = "warning"
    index_url_name = "reviews_due_report"
    index_results_url_name = "reviews_due_report_results"
    any_permission_required = REVIEWS_DUE_PERMISSIONS
    model = Page
    default_ordering = "next_review_due"
    paginate_by = 50
    columns = [
        TitleColumn(
            "title",
            label="Title",
            sort_key="title",
            url_name="wagtailadmin_pages:edit",
        ),
        Column("status", label="Review status", accessor="review_status"),
        DateColumn("next_review_due", label="Next review due", sort_key="next_review_due"),
        DateColumn("last_reviewed", label="Last reviewed", sort_key="last_reviewed"),
        Column("medical_reviewer", label="Reviewer", sort_key="medical_reviewer"),
    ]
    list_export = [
        "title",
        "review_status",
        "next_review_due",
        "last_reviewed",
        "reviewer",
        "full_url",
    ]
    export_headings = {
        "title": "Title",
        "review_status": "Review status",
        "next_review_due": "Next review due",
        "last_reviewed": "Last reviewed",
        "reviewer": "Reviewer",
        "full_url": "URL",
    }

    def get_queryset(self) -> list[Page]:
        today = date.today()
        pages = pages_due_for_review(today=today)
        for page in pages:
            page.review_status = "Overdue" if page.next_review_due < today else "Due soon"
            page.reviewer = str(page.medical_reviewer) if page.medical_reviewer else ""
        return self.order_queryset(pages)

    def get_filename(self) -> str:
        return f"reviews-due-{date.today().isoformat()}"

    def order_queryset(self, pages: list[Page]) -> list[Page]:
        ordering = self.ordering or self.default_ordering
        key = ordering.lstrip("-")
        return sorted(
            pages,
            key=lambda page: (getattr(page, key) is None, str(getattr(page, key) or "")),
            reverse=ordering.startswith("-"),
        )
