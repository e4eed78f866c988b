"""The "Reviews due" admin report: pages whose next medical review is past or coming soon; and
the reviewer records a clinical lead should look at."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Concat
from django.db.models.lookups import Exact, IsNull
from django.utils.dateformat import format as format_date
from django.utils.functional import cached_property

from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import BaseButton, HeaderButton
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from immunotherapy.forms import users_who_could_review
from immunotherapy.models import ArticlePage, MedicalReviewer
from immunotherapy.registry import registry

# Page editors see the report, its menu item and the dashboard panel.
REVIEWS_DUE_PERMISSIONS = ["add", "change", "publish"]


def user_can_see_reviews_due(user: Any) -> bool:
    """Whether `user` may add, change or publish some page."""
    return page_permission_policy.user_has_any_permission(user, REVIEWS_DUE_PERMISSIONS)


def review_models() -> list[type[Page]]:
    """Every concrete page model carrying medical review dates."""

    return [ArticlePage, *registry.page_models()]


def _first_of(lookups: list[str]) -> Any:
    """The first non-null of the per-model columns (a page has a row in one model's table)."""
    expressions = [F(lookup) for lookup in lookups]
    return Coalesce(*expressions) if len(expressions) > 1 else expressions[0]


def pages_due_for_review(*, today: date | None = None) -> QuerySet:
    """Pages whose next review is past or within `MEDICAL_REVIEW_DUE_SOON_DAYS`, in one query.

    Each review model's table is joined to the page on its primary key (Django's reverse
    one-to-one from `Page`), so the database filters, sorts and pages them all together.
    Rows carry `next_review_due`, `last_reviewed`, `review_status` and `reviewer`.
    """
    today = today or date.today()
    cutoff = today + timedelta(days=settings.MEDICAL_REVIEW_DUE_SOON_DAYS)
    # Every review model subclasses Page directly, so its reverse accessor is its model name.
    names = [model._meta.model_name for model in review_models()]
    reviewer_name = _first_of([f"{name}__medical_reviewer__name" for name in names])
    credentials = _first_of([f"{name}__medical_reviewer__credentials" for name in names])
    return Page.objects.annotate(
        next_review_due=_first_of([f"{name}__next_review_due" for name in names]),
        last_reviewed=_first_of([f"{name}__last_reviewed" for name in names]),
        reviewer=Case(
            When(IsNull(reviewer_name, True), then=Value("")),
            When(Exact(credentials, ""), then=reviewer_name),
            default=Concat(reviewer_name, Value(", "), credentials),
            output_field=CharField(),
        ),
        review_status=Case(
            When(last_reviewed__isnull=True, then=Value("Never reviewed")),  # e.g. imported
            When(next_review_due__lt=today, then=Value("Overdue")),
            default=Value("Due soon"),
            output_field=CharField(),
        ),
    ).filter(next_review_due__lte=cutoff)


def reviews_due_counts(*, today: date | None = None) -> dict[str, int]:
    """How many pages are due for review soon (`due`) and how many of them `overdue`: one query."""
    today = today or date.today()
    return pages_due_for_review(today=today).aggregate(
        due=Count("pk"), overdue=Count("pk", filter=Q(next_review_due__lt=today))
    )


def absolute_date(name: str) -> Any:
    """A cell accessor showing the date itself ("21 Dec 2026"), never "in 3 weeks"."""

    def accessor(row: Any) -> str:
        value = getattr(row, name)
        return format_date(value, "j M Y") if value else "—"

    return accessor


class LabelledColumn(Column):
    """A column whose cells carry its name (`data-label`): where the table is narrow its rows stack,
    each value under its column's name (its stylesheet)."""

    cell_template_name = "immunotherapy/admin/labelled_cell.html"

    class Media:
        css = {"all": ["immunotherapy/css/stacking-table.css"]}


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
    table_classname = "listing stack-when-narrow"
    columns = [
        TitleColumn(
            "title",
            label="Title",
            sort_key="title",
            url_name="wagtailadmin_pages:edit",
        ),
        LabelledColumn("review_status", label="Review status", sort_key="review_status"),
        # Wagtail's DateColumn shows review dates as relative times ("Just now" for a date weeks
        # away): these are calendar dates a reviewer plans by.
        LabelledColumn(
            "next_review_due",
            label="Next review due",
            sort_key="next_review_due",
            accessor=absolute_date("next_review_due"),
        ),
        LabelledColumn(
            "last_reviewed",
            label="Last reviewed",
            sort_key="last_reviewed",
            accessor=absolute_date("last_reviewed"),
        ),
        LabelledColumn("reviewer", label="Reviewer", sort_key="reviewer"),
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

    def get_base_queryset(self) -> QuerySet:
        return pages_due_for_review()

    @cached_property
    def header_buttons(self) -> list[BaseButton]:
        # Wagtail puts the downloads in the header's "…" menu (SpreadsheetExportMixin's
        # header_more_buttons); reviewers export this report often, so they stand in the header.
        return [
            HeaderButton("Download CSV", url=self.csv_export_url, icon_name="download"),
            HeaderButton("Download XLSX", url=self.xlsx_export_url, icon_name="download"),
        ]

    def get_header_more_buttons(self) -> list[BaseButton]:
        return []

    def get_filename(self) -> str:
        return f"reviews-due-{date.today().isoformat()}"

    def order_queryset(self, queryset: QuerySet) -> QuerySet:
        # Wagtail orders by the column's sort key alone; the title keeps equal dates stable.
        return super().order_queryset(queryset).order_by(self.ordering, "title", "pk")


def reviewers_needing_attention() -> list[tuple[MedicalReviewer, str]]:
    """Reviewer records a clinical lead should look at, by name, each with what is wrong: no
    credentials (readers see none; approving asks for them), or a linked user who can no longer
    approve as this reviewer (deactivated, or out of the reviewing groups)."""
    could_review = set(users_who_could_review().values_list("pk", flat=True))
    found = []
    for reviewer in MedicalReviewer.objects.select_related("user").order_by("name", "pk"):
        if not reviewer.credentials.strip():
            found.append((reviewer, "No credentials: readers see none beside the name."))
        elif reviewer.user is not None and reviewer.user_id not in could_review:
            user = reviewer.user.get_username()
            why = "is deactivated" if not reviewer.user.is_active else "can no longer review"
            found.append((reviewer, f"Its admin user, {user}, {why}: link another or none."))
    return found
