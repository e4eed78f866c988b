"""Admin snippet listings with search and filters (agents, glossary, references); page hooks."""

from collections.abc import Callable
from itertools import chain
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import CharField, F, QuerySet, TextField
from django.db.models.functions import Length, Lower
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString

from wagtail import hooks
from wagtail.admin.compare import register_comparison_class
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn
from wagtail.admin.widgets.button import Button
from wagtail.models import Page, get_page_models
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CopyView,
    CreateView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from immunotherapy.compare import LabelledStreamFieldComparison
from immunotherapy.editor import (
    MedicalPageViewSet,
    say_sent_for_review,
    say_which_blank_blocks_were_removed,
)
from immunotherapy.fields import StreamField
from immunotherapy.models import (
    Agent,
    GlossaryTerm,
    MedicalReviewer,
    MedicalReviewTask,
    Reference,
)
from immunotherapy.publishing import (
    PublishTherapyPageRevisionAction,
    latest_content,
    unpublishable_reasons,
)
from immunotherapy.reports import (
    LabelledColumn,
    ReviewsDueReportView,
    pages_due_for_review,
    reviewers_needing_attention,
    reviews_due_counts,
    user_can_see_reviews_due,
)
from immunotherapy.review_confirmation import REVIEW_CONFIRMED, review_confirmation_refusal
from immunotherapy.review_views import confirm_still_accurate
from immunotherapy.wordpress.admin_views import user_can_import, wordpress_import_view
from immunotherapy.wordpress.redirects import wordpress_query_redirect


class StackingIndexView(IndexView):
    """A snippet listing whose cells wrap between words; where it is narrower than its columns
    (a phone) each row stacks, every value under its column's name (`LabelledColumn`). Text
    columns sort as a dictionary does ("antigen" before "CTCAE"), on every database; numbers kept
    as text (`number_fields`) sort as numbers."""

    table_classname = "listing stack-when-narrow"

    # Text fields that hold a number written without leading zeros (a PMID): sorted by length,
    # then as text, so that 9876543 comes before 25891173.
    number_fields: tuple[str, ...] = ()

    # Wagtail 8.0's generic IndexView orders by the raw column: SQLite, and PostgreSQL under the
    # C collation, put every capital first.
    def order_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*chain.from_iterable(map(self._as_read, queryset.query.order_by)))

    def _as_read(self, ordering: Any) -> list[Any]:
        if not isinstance(ordering, str):
            return [ordering]
        name = ordering.removeprefix("-")
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return [ordering]
        if name in self.number_fields:
            keys: list[Any] = [Length(name), F(name)]
        elif isinstance(field, CharField | TextField):
            keys = [Lower(name)]
        else:
            return [ordering]
        return [key.desc() if ordering.startswith("-") else key.asc() for key in keys]

    # Wagtail 8.0's generic IndexView makes each `list_display` column after the title here.
    def _get_custom_column(
        self, field_name: str, column_class: Any = LabelledColumn, **kwargs: Any
    ) -> Any:
        return super()._get_custom_column(field_name, column_class, **kwargs)


class AgentViewSet(SnippetViewSet):
    model = Agent
    index_view_class = StackingIndexView
    icon = "pick"
    menu_label = "Agents and drugs"
    list_display = ["generic_name", "brand_names", "target", "drug_class", "first_approval_year"]
    list_filter = ["target", "drug_class"]
    ordering = ["generic_name"]


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    index_view_class = StackingIndexView
    icon = "help"
    menu_label = "Glossary"
    list_display = ["term", "definition"]
    ordering = ["term"]


class ReferenceIndexView(StackingIndexView):
    number_fields = ("pmid",)


class ReferenceViewSet(SnippetViewSet):
    model = Reference
    index_view_class = ReferenceIndexView
    icon = "doc-full"
    menu_label = "References"
    list_display = ["title", "authors", "journal", "year", "doi", "pmid"]
    list_filter = ["year", "journal"]
    ordering = ["-year", "title"]


class MedicalReviewerPermissionPolicy(ModelPermissionPolicy):
    """Reviewers change only their own record; `manage_medicalreviewer` changes any record."""

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        others = action in ("change", "delete") and instance.user_id != user.pk
        if others and not self.user_has_permission(user, "manage"):
            return False
        return super().user_has_permission_for_instance(user, action, instance)


register_permission_policy(MedicalReviewer, MedicalReviewerPermissionPolicy(MedicalReviewer))


class RecordTheUserMayChangeMixin:
    """Overrides `get_object` of the snippet edit and copy views, which check only the model
    permission (copy: change *or view*): both open only a record the user may change."""

    def get_object(self, queryset: Any = None) -> Any:
        reviewer = super().get_object(queryset)  # type: ignore[misc]
        if not self.user_has_permission_for_instance("change", reviewer):  # type: ignore[attr-defined]
            raise PermissionDenied
        return reviewer


class MedicalReviewerEditView(RecordTheUserMayChangeMixin, EditView):
    pass


class MedicalReviewerCopyView(RecordTheUserMayChangeMixin, CopyView):
    """A copy starts unlinked: its user is chosen anew (one record per user)."""

    def get_initial_form_instance(self) -> Any:
        copy = super().get_initial_form_instance()
        copy.user = None
        return copy


class MedicalReviewerCreateView(CreateView):
    """A reviewer with no record who may not link users (their form has no user field) creates
    their own: it starts with their name and is linked to them."""

    def get_initial_form_instance(self) -> Any:
        user = self.request.user
        if (
            self.permission_policy.user_has_permission(user, "manage")
            or MedicalReviewer.objects.filter(user=user).exists()
        ):
            return super().get_initial_form_instance()
        return MedicalReviewer(name=user.get_full_name(), user=user)


class SelectableRowsCheckboxColumn(BulkActionsCheckboxColumn):
    """Wagtail's bulk-selection box, left out of the rows `selectable` refuses."""

    def __init__(self, *args: Any, selectable: Callable[[Any], bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.selectable = selectable

    def render_cell_html(self, instance: Any, parent_context: Any) -> SafeString:
        if not self.selectable(instance):
            return format_html('<td class="{}"></td>', "bulk-action-checkbox-cell")
        return super().render_cell_html(instance, parent_context)


class MedicalReviewerIndexView(StackingIndexView):
    """Overrides Wagtail 8.0.1's generic `IndexView.get_edit_url`, `get_copy_url` and
    `get_delete_url`, and the bulk-selection column, which check only the model permission:
    a row offers the actions allowed on its record."""

    def get_edit_url(self, instance: Any) -> str | None:
        if not self.user_has_permission_for_instance("change", instance):
            return None
        return super().get_edit_url(instance)

    def get_copy_url(self, instance: Any) -> str | None:
        if not self.user_has_permission_for_instance("change", instance):
            return None
        return super().get_copy_url(instance)

    def get_delete_url(self, instance: Any) -> str | None:
        if not self.user_has_permission_for_instance("delete", instance):
            return None
        return super().get_delete_url(instance)

    @cached_property
    def columns(self) -> list[Any]:
        # Deleting is the only bulk action on snippets: with no right to delete, no row is
        # ticked; otherwise only the records the user may delete.
        def deletable(instance: Any) -> bool:
            return self.user_has_permission_for_instance("delete", instance)

        may_delete = self.user_has_permission("delete")
        return [
            column
            if not isinstance(column, BulkActionsCheckboxColumn)
            else SelectableRowsCheckboxColumn(column.name, obj_type="snippet", selectable=deletable)
            for column in super().columns
            if may_delete or not isinstance(column, BulkActionsCheckboxColumn)
        ]


class MedicalReviewerViewSet(SnippetViewSet):
    model = MedicalReviewer
    index_view_class = MedicalReviewerIndexView
    add_view_class = MedicalReviewerCreateView
    edit_view_class = MedicalReviewerEditView
    copy_view_class = MedicalReviewerCopyView
    icon = "user"
    menu_label = "Medical reviewers"
    list_display = ["name", "credentials", "affiliation", "user"]
    ordering = ["name"]


class ClinicalContentViewSetGroup(SnippetViewSetGroup):
    items = (AgentViewSet, GlossaryTermViewSet, ReferenceViewSet, MedicalReviewerViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Clinical content"
    menu_name = "clinical-content"


register_snippet(ClinicalContentViewSetGroup)

# Reviewers compare body revisions block by block, with labels (see immunotherapy.compare).
register_comparison_class(StreamField, comparison_class=LabelledStreamFieldComparison)


@hooks.register("register_admin_viewset")
def register_medical_page_viewsets() -> list[MedicalPageViewSet]:
    """Every page type gets the editor that words refusals and reviewers' decisions for people:
    every page of the tree goes through the medical review."""
    return [
        MedicalPageViewSet(f"{model._meta.app_label}_{model._meta.model_name}", model=model)
        for model in get_page_models()
        if model is not Page
    ]


# Blank blocks are dropped on save (immunotherapy.blocks.streams.DropBlankBlocksMixin), in every
# page editor; the editor is told which.
hooks.register("after_create_page", say_which_blank_blocks_were_removed)
hooks.register("after_edit_page", say_which_blank_blocks_were_removed)
# Wagtail says "submitted for moderation"; here a submit goes to the medical reviewers.
hooks.register("after_create_page", say_sent_for_review)
hooks.register("after_edit_page", say_sent_for_review)


@hooks.register("insert_global_admin_css")
def admin_stylesheet() -> SafeString:
    """Admin headers and the sidebar at phone width (see the stylesheet)."""
    return format_html('<link rel="stylesheet" href="{}">', static("immunotherapy/css/admin.css"))


@hooks.register("insert_editor_js")
def editor_autosave_script() -> SafeString:
    """Two corrections to Wagtail 8.0's autosave (see the script): editors' workflow actions run
    once, however slowly the server answers; edits after a refused action are still autosaved."""
    return format_html('<script src="{}"></script>', static("immunotherapy/js/editor-autosave.js"))


@hooks.register("insert_global_admin_js")
def admin_accessibility_script() -> SafeString:
    """What Wagtail 8.0's admin leaves unnamed for screen readers, named (see the script): rich
    text and tag boxes (wagtail/wagtail#14205), a colleague's avatar, dialogs; the block picker's
    list of options holding options alone; a tab's trigger outside its tab list a link."""
    return format_html(
        '<script src="{}"></script>', static("immunotherapy/js/admin-accessibility.js")
    )


@hooks.register("before_serve_page")
def hide_pages_of_disabled_plugins(page: Page, request: HttpRequest, *args: Any) -> None:
    """A page whose plugin was disabled has no model any more: readers get a 404, not an error."""
    if page.specific_class is None:
        raise Http404


@hooks.register("before_serve_page")
def redirect_old_wordpress_query_urls(page: Page, request: HttpRequest, *args: Any) -> Any:
    """/?p=42 from an imported WordPress site goes on to the page post 42 became."""
    return wordpress_query_redirect(request)


@hooks.register("register_actions", order=100)
def register_publish_action(action_registry: Any) -> None:
    """API v3's publish action checks a therapy page's required blocks (after Wagtail's own)."""
    action_registry.register(Page, PublishTherapyPageRevisionAction)


@hooks.register("before_bulk_action")
def refuse_bulk_publish_of_incomplete_therapy_pages(
    request: HttpRequest, action_type: str, objects: list, view: Any
) -> HttpResponse | None:
    if action_type != "publish":
        return None
    for page in objects:
        reasons = unpublishable_reasons(latest_content(page))
        if reasons:
            messages.error(
                request, f"“{page.get_admin_display_title()}” was not published. {reasons[0]}"
            )
            return redirect(request.GET.get("next") or "wagtailadmin_home")
    return None


NOT_APPROVED_NO_CREDENTIALS = (
    "“{title}” was not approved: your reviewer record has no credentials, and readers see them "
    "beside your name. Approve again and fill in “Your credentials” (for example “MD, "
    "consultant medical oncologist”)."
)


def review_refused_no_credentials(request: HttpRequest, page_id: int) -> HttpResponse:
    """Where Wagtail's workflow view sends a reviewer whose approval lacked credentials."""
    page = get_object_or_404(Page, pk=page_id)
    messages.error(
        request, NOT_APPROVED_NO_CREDENTIALS.format(title=page.get_admin_display_title())
    )
    return redirect("wagtailadmin_pages:edit", page_id)


@hooks.register("register_admin_urls")
def register_review_refused_url() -> list:
    return [
        path(
            "review-refused/<int:page_id>/",
            review_refused_no_credentials,
            name="review_refused_no_credentials",
        )
    ]


@hooks.register("before_edit_page")
def keep_workflow_actions_out_of_autosave(request: HttpRequest, page: Page) -> Any:
    """Refuse a background autosave that carries a workflow action; the form's submit does it.

    Wagtail 8.0.1's approval dialog (`wagtailadmin/js/workflow-action.js`) adds the action's
    fields to the edit form and submits it with jQuery's `submit()`, whose submit event the
    `w-autosave` controller never hears: its next background post (`Accept: application/json`)
    carries the action too. Both posts then act: one answers 500 (no task left), and either
    can save the page's stale `live` over the publish, leaving an approved page offline.
    """
    autosave = not request.accepts("text/html")  # Wagtail's `expects_json_response`
    if request.method == "POST" and request.POST.get("action-workflow-action") and autosave:
        return JsonResponse(
            {
                "success": False,
                "error_code": "blocked_by_hook",
                "error_message": "A workflow action is sent by the form, not by autosave.",
            },
            status=400,
        )
    return None


@hooks.register("after_edit_page")
def say_why_an_approval_with_edits_was_refused(request: HttpRequest, page: Page) -> Any:
    """The editor's own "Approve" (with edits) ignores where on_action sends the reviewer."""
    if request.POST.get("workflow-action-name") != "approve":
        return None
    task_state = page.current_workflow_task_state
    if task_state is None or not isinstance(task_state.task.specific, MedicalReviewTask):
        return None
    return review_refused_no_credentials(request, page.pk)


@hooks.register("register_admin_urls")
def register_confirm_still_accurate_url() -> list:
    return [
        path(
            "pages/<int:page_id>/confirm-still-accurate/",
            confirm_still_accurate,
            name="confirm_still_accurate",
        )
    ]


@hooks.register("register_page_header_buttons")
def confirm_still_accurate_button(
    page: Page, user: Any, view_name: str, next_url: str | None = None
) -> Any:
    """Reviewers see "Confirm still accurate" on a live, unchanged page that is due."""
    if view_name == "edit" and not review_confirmation_refusal(page=page.specific, user=user):
        yield Button(
            "Confirm still accurate",
            reverse("confirm_still_accurate", args=[page.pk]),
            icon_name="success",
            priority=62,
        )


@hooks.register("register_log_actions")
def register_review_log_actions(actions: Any) -> None:
    actions.register_action(
        REVIEW_CONFIRMED, "Confirm still accurate", "Medical review: confirmed still accurate"
    )


class ReviewsDueMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return user_can_see_reviews_due(request.user)


@hooks.register("register_admin_urls")
def register_reviews_due_report_urls() -> list:
    return [
        path("reports/reviews-due/", ReviewsDueReportView.as_view(), name="reviews_due_report"),
        path(
            "reports/reviews-due/results/",
            ReviewsDueReportView.as_view(results_only=True),
            name="reviews_due_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_reviews_due_menu_item() -> MenuItem:
    return ReviewsDueMenuItem(
        "Reviews due", reverse("reviews_due_report"), icon_name="warning", order=50
    )


class ReviewsDuePanel(Component):
    """Dashboard panel: the pages most urgently due for medical review, and how many in all."""

    name = "reviews_due"
    order = 90
    template_name = "immunotherapy/admin/reviews_due_panel.html"
    rows = 5

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        counts = reviews_due_counts()
        pages = pages_due_for_review().order_by("next_review_due", "title", "pk")[: self.rows]
        return {
            "due_count": counts["due"],
            "overdue_count": counts["overdue"],
            "pages": pages,
            "more_count": max(counts["due"] - self.rows, 0),
            "due_soon_days": settings.MEDICAL_REVIEW_DUE_SOON_DAYS,
            "report_url": reverse("reviews_due_report"),
        }


class ReviewerRecordsPanel(Component):
    """Dashboard panel for those who run the reviewer panel (clinical leads): how many records,
    and those to look at (`reviewers_needing_attention`)."""

    name = "reviewer_records"
    order = 95
    template_name = "immunotherapy/admin/reviewer_records_panel.html"

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        viewset = MedicalReviewer.snippet_viewset
        return {
            "count": MedicalReviewer.objects.count(),
            "needing_attention": reviewers_needing_attention(),
            "list_url": reverse(viewset.get_url_name("list")),
            "add_url": reverse(viewset.get_url_name("add")),
            "edit_url_name": viewset.get_url_name("edit"),
        }


@hooks.register("construct_homepage_panels")
def add_reviews_due_panel(request: HttpRequest, panels: list) -> None:
    if user_can_see_reviews_due(request.user):
        panels.append(ReviewsDuePanel())
    if request.user.has_perm("immunotherapy.manage_medicalreviewer"):
        panels.append(ReviewerRecordsPanel())


class WordPressImportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return user_can_import(request.user)


@hooks.register("register_admin_urls")
def register_wordpress_import_url() -> list:
    return [path("wordpress-import/", wordpress_import_view, name="wordpress_import")]


@hooks.register("register_settings_menu_item")
def register_wordpress_import_menu_item() -> MenuItem:
    return WordPressImportMenuItem(
        "Import from WordPress", reverse("wordpress_import"), icon_name="download", order=900
    )


@hooks.register("register_permissions")
def register_wordpress_import_permission() -> Any:
    """Lets the group editor give “Can import WordPress exports” to a group."""
    return Permission.objects.filter(
        content_type__app_label="immunotherapy", codename="import_wordpress"
    )
