"""The comments admin (wagtail-modeladmin): list, filters, actions, edit, reply, dashboard."""

from typing import Any

from django.contrib.admin import SimpleListFilter
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import re_path
from django.utils.html import format_html, format_html_join

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.models import Page

from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.menus import ModelAdminMenuItem
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from .admin_views import (
    ACTION_LABELS,
    CommentAdminForm,
    PendingCommentsPanel,
    bulk_action_view,
    privacy_view,
    reply_view,
)
from .models import Comment
from .selectors import comment_count_pending
from .services import MODERATION_PERMISSION


class CommentedPageFilter(SimpleListFilter):
    """Only the pages that have comments, not every page of the site."""

    title = "page"
    parameter_name = "commented_page"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[int, str]]:
        pages = Page.objects.filter(reader_comments__isnull=False).distinct().order_by("title")
        return [(page.pk, page.title) for page in pages]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        return queryset.filter(page_id=value) if value and value.isdigit() else queryset


class CommentPermissionHelper(PermissionHelper):
    """Comments come from readers: nobody adds one from the admin, moderators reply instead."""

    def user_can_list(self, user: Any) -> bool:
        # The menu, list and inspect screens belong to moderators only, not to view-only users.
        return user.has_perm(MODERATION_PERMISSION)

    def user_can_create(self, user: Any) -> bool:
        return False


class PendingBadgeMenuItem(ModelAdminMenuItem):
    """The Comments menu item, with the number awaiting moderation in its label."""

    def render_component(self, request: HttpRequest) -> Any:
        component = super().render_component(request)
        pending = comment_count_pending()
        if pending:
            component.label = f"{self.label} ({pending} pending)"
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
        "excerpt",
        "author",
        "page_title",
        "status",
        "created_at",
        "moderate",
    )
    list_filter = ("status", CommentedPageFilter)
    search_fields = ("author_name", "author_email", "body")
    ordering = ["-created_at"]
    permission_helper_class = CommentPermissionHelper
    index_template_name = "comments/admin/index.html"
    edit_handler = ObjectList(
        [
            FieldPanel("status"),
            FieldPanel("author_name"),
            FieldPanel("author_email"),
            FieldPanel("author_url"),
            FieldPanel("body"),
            FieldPanel("page", read_only=True),
            FieldPanel("created_at", read_only=True),
            FieldPanel("ip_address", read_only=True),
            FieldPanel("user_agent", read_only=True),
        ],
        base_form_class=CommentAdminForm,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("page")

    def get_menu_item(self, order: int | None = None) -> MenuItem:
        return PendingBadgeMenuItem(self, order or self.get_menu_order())

    @staticmethod
    def select_box(obj: Comment) -> str:
        return format_html(
            '<input type="checkbox" name="selected" value="{}" aria-label="Select comment {}">',
            obj.pk,
            obj.pk,
        )

    select_box.short_description = "Select"

    @staticmethod
    def author(obj: Comment) -> str:
        return format_html("{}<br><small>{}</small>", obj.author_name, obj.author_email)

    @staticmethod
    def page_title(obj: Comment) -> str:
        return obj.page.title

    page_title.short_description = "Page"

    def moderate(self, obj: Comment) -> str:
        buttons = format_html_join(
            " ",
            '<button type="submit" class="button button-small button-secondary" name="row_action"'
            ' value="{}:{}">{}</button>',
            ((action, obj.pk, label) for action, label in ACTION_LABELS.items()),
        )
        reply_url = self.url_helper.get_action_url("reply", obj.pk)
        return format_html(
            '{} <a class="button button-small" href="{}">Reply</a>', buttons, reply_url
        )

    moderate.short_description = "Moderate"

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
