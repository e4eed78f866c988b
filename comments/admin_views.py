"""Moderation screens added to the comments admin: bulk and row actions, replies, privacy."""

import json
from datetime import datetime
from types import MethodType
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, UserColumn
from wagtail.log_actions import registry as log_registry

from wagtail_modeladmin.views import DeleteView, EditView, HistoryView, IndexView

from .models import BODY_MAX_LENGTH, Comment
from .sanitizer import clean_comment_html, render_comment_html
from .selectors import comment_count_pending, comment_pending_by_page
from .services import (
    MODERATION_PERMISSION,
    comment_bulk_set_status,
    comment_log_status,
    comment_reply_as_moderator,
    commenter_erase,
    commenter_export,
    comments_with_ids,
    status_log_action,
)

# Action name in the admin -> the status it moves comments to.
ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "unapprove": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
}
# The moderation buttons each row offers, by the comment's status: only moves that change it.
ROW_ACTIONS: dict[str, list[tuple[str, str]]] = {
    Comment.Status.PENDING: [("approve", "Approve"), ("spam", "Spam"), ("trash", "Trash")],
    Comment.Status.APPROVED: [("unapprove", "Unapprove"), ("spam", "Spam"), ("trash", "Trash")],
    Comment.Status.SPAM: [("unapprove", "Not spam"), ("trash", "Trash")],
    Comment.Status.TRASH: [("unapprove", "Restore"), ("spam", "Spam")],
}
# The bulk menu on "All" (or an unknown status): every move, as rows of any status are listed.
EVERY_ACTION = [
    ("approve", "Approve"),
    ("unapprove", "Unapprove"),
    ("spam", "Mark as spam"),
    ("trash", "Move to trash"),
]
INDEX_URL_NAME = "comments_comment_modeladmin_index"
STATUS_PARAM = "status__exact"  # the list's status filter; moderator emails link to it
DEFAULT_STATUS = Comment.Status.PENDING  # the list opens on what needs a decision
ALL_STATUSES = "all"


def bulk_actions(status: str) -> list[tuple[str, str]]:
    """The bulk menu of a list filtered by `status`: the moves its rows offer, in the words of
    the "All" menu, except the move back to pending, named as on the rows (Not spam, Restore)."""
    if status not in ROW_ACTIONS:
        return EVERY_ACTION
    wording = dict(EVERY_ACTION)
    return [
        (action, label if action == "unapprove" else wording[action])
        for action, label in ROW_ACTIONS[status]
    ]


def posted_time(value: datetime) -> SafeString:
    """When a comment was posted, as the moderation screens show it: day, month name and
    24-hour local time (read the same way everywhere), in a `<time>` element."""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>', local.isoformat(), f"{local:%-d %b %Y, %H:%M}"
    )


class PostedTimePanel(FieldPanel):
    """A read-only date and time shown as the queue shows it, not in Django's US default."""

    def format_value_for_display(self, value: datetime) -> SafeString:
        return posted_time(value)


def require_moderator(request: HttpRequest) -> User:
    """The signed-in moderator making the request."""
    user = request.user
    if not user.is_authenticated or not user.has_perm(MODERATION_PERMISSION):
        raise PermissionDenied
    return user


class CommentIndexView(IndexView):
    """The moderation list, each of its queries run once, however many comments there are.

    wagtail-modeladmin's `IndexView` builds the list's queryset twice (in `dispatch()` and
    `get_context_data()`, its filters' lookups included) and counts it up to three times (all
    comments, the filtered ones, and again in the paginator). Here the queryset is built once
    and each count is taken once and reused.
    """

    _queryset: QuerySet | None = None
    _base_queryset: QuerySet | None = None

    def get_base_queryset(self, request: HttpRequest | None = None) -> QuerySet:
        if self._base_queryset is None:
            self._base_queryset = super().get_base_queryset(request)
        return self._base_queryset

    def get_queryset(self, request: HttpRequest | None = None) -> QuerySet:
        if self._queryset is None:
            self._queryset = super().get_queryset(request)
        return self._queryset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        queryset = self.get_queryset()
        _count_once(queryset)  # the list's count and its paginator's
        if not self.query and self.get_filters_params() == {STATUS_PARAM: [ALL_STATUSES]}:
            self._base_queryset = queryset  # nothing narrows the list: "all" is the same count
        status = self.request.GET.get(STATUS_PARAM) or DEFAULT_STATUS
        chosen = [
            f"{spec.title.capitalize()}: {choice['display']}"
            for spec in self.filter_specs
            for choice in spec.choices(self)
            if choice["selected"]
        ]
        return {
            **super().get_context_data(**kwargs),
            "bulk_actions": bulk_actions(status),
            "chosen_filters": " · ".join(chosen),
        }


class CommentHeadingMixin:
    """The edit, delete and history pages are headed by who wrote the comment ("Editing comment by
    Jane Patel"), short enough for a phone; the page it is on and its text follow below."""

    instance: Comment

    def get_page_subtitle(self) -> str:
        return f"comment by {self.instance.author_name}"


class CommentEditView(CommentHeadingMixin, EditView):
    """The edit page shows the comment as readers see it, why it was held, and where it is."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **comment_admin_context(self.instance)}

    def form_valid(self, form: forms.ModelForm) -> HttpResponse:
        response = super().form_valid(form)  # wagtail-modeladmin's EditView logs "Edited"
        if "status" in form.changed_data:  # and its history says the status moved, as the queue's
            comment_log_status(comment=self.instance, moderator=self.request.user)
        return response


class CommentDeleteView(CommentHeadingMixin, DeleteView):
    """Deleting is for good: the page says so and offers the trash instead."""

    page_title = "Permanently delete"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # wagtail-modeladmin's DeleteView.post() opens its message with it: "Comment '…' deleted."
        self.verbose_name = capfirst(Comment._meta.verbose_name)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # wagtail-modeladmin's DeleteView.dispatch answers a refusal with a bare 403; a moderator
        # who may delete comments, asking to delete a pending or approved one, is told what to do.
        helper = self.permission_helper
        if not self.instance.deletable_for_good() and helper.user_has_specific_permission(
            request.user, helper.get_perm_codename("delete")
        ):
            messages.error(
                request,
                "Only spam and trashed comments can be deleted permanently: "
                "move this comment to the trash first.",
            )
            return HttpResponseRedirect(self.edit_url)
        return super().dispatch(request, *args, **kwargs)

    def confirmation_message(self) -> str:
        message = "This removes the comment and every reply to it for good; it cannot be undone."
        if self.instance.status == Comment.Status.TRASH:
            return message
        return f"{message} To take it off the site but keep it, move it to the trash instead."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **comment_admin_context(self.instance)}


class CommentHistoryView(CommentHeadingMixin, HistoryView):
    """Who did what to the comment, and when: wagtail-modeladmin's HistoryView of Wagtail's log
    (status moves, edits), with dates as the queue shows them, not as "2 hours ago"."""

    page_title = "History of"
    columns = [
        Column("message", label="Action"),
        UserColumn("user", label="By", blank_display_name="system"),
        Column("timestamp", label="When", accessor=lambda entry: posted_time(entry.timestamp)),
    ]

    def check_action_permitted(self, user: Any) -> bool:
        # wagtail-modeladmin lets anyone with admin access see any object's history.
        return self.permission_helper.user_can_edit_obj(user, self.instance)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "no_results_message": "No one has moderated or edited this comment yet.",
        }


def status_change(comment: Comment) -> str:
    """Who moved the comment to its status, and when ("Marked as spam by Cora Mbeki, 2 Dec 2026,
    01:48"), from its history; empty if no one has (the posting rules gave it its status)."""
    entry = (
        log_registry.get_logs_for_instance(comment)
        .filter(action=status_log_action(comment.status))
        .select_related("user")
        .first()
    )
    if entry is None:
        return ""
    return format_html(
        "{} by {}, {}", entry.message, entry.user_display_name, posted_time(entry.timestamp)
    )


def comment_admin_context(comment: Comment) -> dict[str, Any]:
    """What the edit and delete pages show about a comment besides its form."""
    return {
        "comment": comment,
        "status_change": status_change(comment),
        "comment_html": render_comment_html(comment.body),
        "posted": posted_time(comment.created_at),
        "is_published": comment.status == Comment.Status.APPROVED,
        "permalink": reverse("comments:permalink", args=[comment.pk]),
        "page_url": comment.page.get_url(),
        "bulk_url": reverse("comments_comment_modeladmin_bulk"),
        "reply_count": comment.replies.count(),
    }


def _count_once(queryset: QuerySet) -> None:
    """Make `queryset.count()` query once, then answer from memory (a bound method, as
    Django's Paginator only calls a `count` that takes no arguments but self)."""
    count = queryset.count()
    # One instance's method replaced on purpose, which mypy refuses to allow.
    queryset.count = MethodType(lambda _self: count, queryset)  # type: ignore[method-assign]


class CommentAdminForm(WagtailAdminModelForm):
    """The edit form: the body is cleaned exactly as a reader's would be."""

    def clean_body(self) -> str:
        return clean_comment_html(self.cleaned_data["body"]).strip()


def _back_to_index(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse(INDEX_URL_NAME)
    return HttpResponseRedirect(target)


def bulk_action_view(request: HttpRequest) -> HttpResponse:
    """Apply approve/unapprove/spam/trash to the ticked comments or to one row's button."""
    moderator = require_moderator(request)
    if request.method != "POST":
        return HttpResponseRedirect(reverse(INDEX_URL_NAME))
    row_action = request.POST.get("row_action", "")
    if row_action:
        action, _, pk = row_action.partition(":")
        ids = [pk]
    else:
        action, ids = request.POST.get("action", ""), request.POST.getlist("selected")
    comments = comments_with_ids(ids)
    if action not in ACTIONS:
        messages.error(request, "Choose an action: approve, unapprove, spam or trash.")
    elif not comments.exists():
        messages.error(request, "Tick at least one comment first.")
    else:
        changed = comment_bulk_set_status(
            comments=comments, status=ACTIONS[action], moderator=moderator
        )
        label = Comment.Status(ACTIONS[action]).label.lower()
        messages.success(request, f"{changed} comment{'s' if changed != 1 else ''} marked {label}.")
    return _back_to_index(request)


class ModeratorReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply", max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8})
    )


def reply_view(request: HttpRequest, instance_pk: str) -> HttpResponse:
    """Reply to a comment as the signed-in moderator; the reply is published at once."""
    moderator = require_moderator(request)
    parent = get_object_or_404(Comment.objects.select_related("page"), pk=instance_pk)
    form = ModeratorReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment_reply_as_moderator(
                parent=parent, moderator=moderator, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            for messages_list in error.message_dict.values():
                form.add_error(None, messages_list)
        else:
            messages.success(request, f"Reply to {parent.author_name} published.")
            return HttpResponseRedirect(reverse(INDEX_URL_NAME))
    return TemplateResponse(
        request,
        "comments/admin/reply.html",
        {"parent": parent, "posted": posted_time(parent.created_at), "form": form},
    )


class PrivacyRequestForm(forms.Form):
    email = forms.EmailField(label="Commenter's email address")
    action = forms.ChoiceField(
        choices=[("export", "Export their data (JSON)"), ("erase", "Erase their personal data")],
        widget=forms.RadioSelect,
        initial="export",
    )
    remove_text = forms.BooleanField(
        required=False,
        label="When erasing, also remove the text of their comments",
    )


def privacy_view(request: HttpRequest) -> HttpResponse:
    """Export or erase one commenter's personal data, found by email address."""
    require_moderator(request)
    form = PrivacyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if form.cleaned_data["action"] == "export":
            data = json.dumps(commenter_export(email=email), indent=2, ensure_ascii=False)
            response = HttpResponse(data, content_type="application/json")
            response["Content-Disposition"] = 'attachment; filename="commenter-data.json"'
            return response
        changed = commenter_erase(
            email=email, remove_text=form.cleaned_data["remove_text"], moderator=request.user
        )
        if changed:
            messages.success(request, f"Personal data removed from {changed} comment(s).")
        else:
            messages.warning(request, "No comments were found for that email address.")
        return HttpResponseRedirect(reverse(INDEX_URL_NAME))
    return TemplateResponse(request, "comments/admin/privacy.html", {"form": form})


class PendingCommentsPanel(Component):
    """Dashboard panel: how many comments wait for moderation, and on which pages."""

    name = "pending_comments"
    order = 150
    template_name = "comments/admin/pending_panel.html"

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        pending = comment_count_pending()
        return {
            "heading": f"Comments awaiting moderation: {pending}",
            "pending_pages": comment_pending_by_page(),
            "index_url": reverse(INDEX_URL_NAME),
        }
