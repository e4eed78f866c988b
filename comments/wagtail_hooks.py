"""The comments admin (wagtail-modeladmin): list, filters, actions, edit, reply, dashboard."""

from typing import Any

from django.contrib.admin import SimpleListFilter, display
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import re_path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.models import Page

from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.menus import ModelAdminMenuItem
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from site_config.params import optional_int

from .admin_views import (
    ALL_STATUSES,
    DEFAULT_STATUS,
    ROW_ACTIONS,
    STATUS_PARAM,
    CommentAdminForm,
    CommentDeleteView,
    CommentEditView,
    CommentHistoryView,
    CommentIndexView,
    PendingCommentsPanel,
    PostedTimePanel,
    bulk_action_view,
    posted_time,
    privacy_view,
    reply_view,
)
from .models import Comment
from .selectors import comment_count_pending, comment_pending_by_page
from .services import (
    MODERATION_PERMISSION,
    OTHER_LOG_MESSAGES,
    STATUS_LOG_MESSAGES,
    status_log_action,
)

# Columns whose cells carry their heading (data-label): on narrow screens the rows stack and
# each value shows under its column's name (comments/admin.css).
LABELLED_COLUMNS = ("author", "page_title", "status_and_reasons", "posted")
PAGE_FILTER_LIMIT = 20  # pages offered in the list's page filter
# The list's first column heading: a box that ticks every row (fixed markup, no data).
SELECT_ALL = mark_safe(
    '<input type="checkbox" aria-label="Select all comments in the list"'
    ' data-action="w-bulk#toggleAll" data-w-bulk-target="all">'
)


class CommentedPageFilter(SimpleListFilter):
    """The pages with the most comments awaiting moderation, and the page chosen.

    A bounded list, not every commented page: any page's comments are one click away from
    the Page column of the list.
    """

    title = "page"
    parameter_name = "commented_page"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        pages = {
            row["page_id"]: row["page__title"]
            for row in comment_pending_by_page(limit=PAGE_FILTER_LIMIT)
        }
        page_id = optional_int(self.value() or "")
        if page_id is not None and page_id not in pages:
            chosen = Page.objects.filter(pk=page_id).values_list("pk", "title").first()
            if chosen:
                pages[chosen[0]] = chosen[1]
        # Django compares each lookup with the parameter as text.
        return sorted(((str(pk), title) for pk, title in pages.items()), key=lambda item: item[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        page_id = optional_int(self.value() or "")
        return queryset.filter(page_id=page_id) if page_id is not None else queryset


class CommentStatusFilter(SimpleListFilter):
    """By status, Pending first and chosen when nothing is: the queue is what needs a decision."""

    title = "status"
    parameter_name = STATUS_PARAM

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [*Comment.Status.choices, (ALL_STATUSES, "All")]

    def value(self) -> str:
        return super().value() or DEFAULT_STATUS

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        return queryset if value == ALL_STATUSES else queryset.filter(status=value)

    def choices(self, changelist: Any) -> Any:
        # Django's SimpleListFilter leads with an "All" that drops the parameter; here no
        # parameter means Pending, so "All" is a choice of its own.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}, ["p"]),
                "display": title,
            }


class CommentButtonHelper(ButtonHelper):
    """Rows offer Edit, and "Delete permanently" where the permission helper allows it."""

    delete_button_classnames = ["no"]

    def delete_button(self, pk: Any, *args: Any, **kwargs: Any) -> dict[str, str]:
        return {**super().delete_button(pk, *args, **kwargs), "label": "Delete permanently"}


class CommentPermissionHelper(PermissionHelper):
    """Comments come from readers: nobody adds one from the admin, moderators reply instead."""

    def user_can_list(self, user: Any) -> bool:
        # The menu, list and inspect screens belong to moderators only, not to view-only users.
        return user.has_perm(MODERATION_PERMISSION)

    def user_can_create(self, user: Any) -> bool:
        return False

    def user_can_delete_obj(self, user: Any, obj: Comment) -> bool:
        # wagtail-modeladmin asks this for the row buttons (ButtonHelper.get_buttons_for_obj), the
        # edit page (EditView's user_can_delete) and the delete view (DeleteView.dispatch).
        return obj.deletable_for_good() and super().user_can_delete_obj(user, obj)


class PendingBadgeMenuItem(ModelAdminMenuItem):
    """The Comments menu item, with the number awaiting moderation in its label."""

    def render_component(self, request: HttpRequest) -> Any:
        component = super().render_component(request)
        pending = comment_count_pending()
        if pending:
            # "(3 pending)" kept together where the sidebar wraps the label.
            component.label = f"{self.label} ({pending}\u00a0pending)"
            component.attrs = {**component.attrs, "data-pending-count": str(pending)}
        return component


class CommentAdmin(ModelAdmin):
    model = Comment
    menu_label = "Comments"
    menu_icon = "comment"
    menu_order = 250
    add_to_admin_menu = True
    list_per_page = 50
    list_display = (
        "select_box",
        "comment_excerpt",
        "author",
        "page_title",
        "status_and_reasons",
        "posted",
        "moderate",
    )
    list_display_add_buttons = "comment_excerpt"
    list_filter = (CommentStatusFilter, CommentedPageFilter)
    search_fields = ("author_name", "author_email", "body")
    ordering = ["-created_at"]
    permission_helper_class = CommentPermissionHelper
    button_helper_class = CommentButtonHelper
    index_template_name = "comments/admin/index.html"
    index_view_class = CommentIndexView
    edit_template_name = "comments/admin/edit.html"
    edit_view_class = CommentEditView
    delete_template_name = "comments/admin/delete.html"
    delete_view_class = CommentDeleteView
    history_view_class = CommentHistoryView
    history_template_name = "comments/admin/history.html"
    edit_handler = ObjectList(
        [
            FieldPanel("status"),
            FieldPanel("author_name"),
            FieldPanel("author_email"),
            FieldPanel("author_url"),
            FieldPanel("body"),
            FieldPanel("page", read_only=True),
            PostedTimePanel("created_at", read_only=True),
            FieldPanel("ip_address", read_only=True),
            FieldPanel("user_agent", read_only=True),
        ],
        base_form_class=CommentAdminForm,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("page")

    def get_extra_attrs_for_field_col(self, obj: Comment, field_name: str) -> dict[str, str]:
        if field_name not in LABELLED_COLUMNS:
            return {}
        return {"data-label": getattr(self, field_name).short_description}

    def get_menu_item(self, order: int | None = None) -> MenuItem:
        return PendingBadgeMenuItem(self, order or self.get_menu_order())

    # Ticking is Wagtail's own bulk-selection controller (w-bulk, as in form submissions).
    @display(description=SELECT_ALL)
    def select_box(self, obj: Comment) -> str:
        return format_html(
            '<input type="checkbox" name="selected" value="{}" aria-label="Select comment by {}"'
            ' data-action="w-bulk#toggle" data-w-bulk-target="item">',
            obj.pk,
            obj.author_name,
        )

    @display(description="Comment")
    def comment_excerpt(self, obj: Comment) -> str:
        # Plain text, escaped here: a body's markup cut short would be broken HTML.
        return format_html('<span class="comment-excerpt">{}</span>', obj.excerpt(120))

    @display(description="Status", ordering="status")
    def status_and_reasons(self, obj: Comment) -> str:
        reasons = obj.held_reason_labels() if obj.status != Comment.Status.APPROVED else []
        if not reasons:
            return obj.get_status_display()
        return format_html(
            '{}<ul class="held-reasons" aria-label="Why">{}</ul>',
            obj.get_status_display(),
            format_html_join("", "<li>{}</li>", ((reason,) for reason in reasons)),
        )

    @display(description="Posted", ordering="created_at")
    def posted(self, obj: Comment) -> str:
        return posted_time(obj.created_at)

    @display(description="Author")
    def author(self, obj: Comment) -> str:
        return format_html("{}<br><small>{}</small>", obj.author_name, obj.author_email)

    @display(description="Page")
    def page_title(self, obj: Comment) -> str:
        return format_html(
            '<a href="?commented_page={}" title="Only the comments on this page">{}</a>',
            obj.page_id,
            obj.page.title,
        )

    @display(description="Moderate")
    def moderate(self, obj: Comment) -> str:
        buttons = format_html_join(
            "",
            '<button type="submit" class="button button-small button-secondary" name="row_action"'
            ' value="{}:{}">{}</button>',
            ((action, obj.pk, label) for action, label in ROW_ACTIONS[obj.status]),
        )
        reply = ""
        if obj.status == Comment.Status.APPROVED:  # only published comments take replies
            reply = format_html(
                '<a class="button button-small" href="{}">Reply</a>',
                self.url_helper.get_action_url("reply", obj.pk),
            )
        return format_html('<div class="comment-actions">{}{}</div>', buttons, reply)

    def get_admin_urls_for_registration(self) -> tuple:
        helper = self.url_helper
        return (
            *super().get_admin_urls_for_registration(),
            re_path(
                r"^comments/comment/bulk/$",
                bulk_action_view,
                name=helper.get_action_url_name("bulk"),
            ),
            re_path(
                r"^comments/comment/privacy/$",
                privacy_view,
                name=helper.get_action_url_name("privacy"),
            ),
            re_path(
                helper.get_action_url_pattern("reply"),
                reply_view,
                name=helper.get_action_url_name("reply"),
            ),
        )


modeladmin_register(CommentAdmin)


@hooks.register("construct_homepage_panels")
def add_pending_comments_panel(request: HttpRequest, panels: list) -> None:
    if request.user.has_perm(MODERATION_PERMISSION):
        panels.append(PendingCommentsPanel())


@hooks.register("register_log_actions")
def register_comment_log_actions(actions: Any) -> None:
    moves = {status_log_action(status): message for status, message in STATUS_LOG_MESSAGES.items()}
    for action, message in {**moves, **OTHER_LOG_MESSAGES}.items():
        actions.register_action(action, message, message)
