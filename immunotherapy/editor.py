"""The page editor for medical pages: refusals worded for the person and what was kept.

Wagtail's edit view answers every refused save with "The page could not be saved due to
validation errors", although autosave has kept the draft (the header says "Saved") and an editor
only submits for review. `MedicalPageEditView` keeps Wagtail's `EditView.form_invalid` but says
what was refused and that the saved draft is kept; `wagtail_hooks` gives it to the medical page
types through a `PageViewSet` each (Wagtail's way to change one page type's admin views).
A save that drops blank blocks says which (`say_which_blank_blocks_were_removed`, a hook for
every page type), and a submit says the page went for medical review (`say_sent_for_review`).

`DraftailRichTextArea` is the rich text editor of every field and block
(WAGTAILADMIN_RICH_TEXT_EDITORS in the settings).
"""

from collections.abc import Mapping
from typing import Any

from django.contrib import messages as django_messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from wagtail.admin import messages
from wagtail.admin.rich_text.editors import draftail
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import CollectWorkflowActionDataView, WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.fields import StreamField
from wagtail.models import Page, TaskState, WorkflowState

from immunotherapy.blocks.streams import DropBlankBlocksMixin
from immunotherapy.models import MedicalReviewTask
from immunotherapy.models.review import FirstReviewApprovalForm, ReviewApprovalForm

REFUSED = {
    "submit": "Not submitted for review",
    "restart_workflow": "Not submitted for review",
    "publish": "Not published",
    "perform_workflow_action": "Not approved",
}


DECIDED = ("approve", "reject")


def decision_message(page: Page, action: str) -> str:
    """What a reviewer is told once they approved (`action` "approve") or requested changes
    ("reject") on `page`."""
    title = page.get_admin_display_title()
    if action == "reject":
        return f"Changes requested on '{title}': it is back with its editors."
    if WorkflowState.objects.for_instance(page).active().exists():
        return f"'{title}' approved; it goes on to the next step of its review."
    return f"'{title}' approved and published."


class MedicalPageEditView(EditView):
    """Wagtail's page editor, with a refusal message that matches what was kept, and a
    reviewer's decision confirmed in words that say what it did."""

    # Wagtail 8.0.1's EditView.perform_workflow_action confirms any decision with
    # add_save_confirmation_message(): "Page 'X' has been updated."
    def add_save_confirmation_message(self) -> None:
        if self.action_name != "perform_workflow_action" or self.workflow_action not in DECIDED:
            return super().add_save_confirmation_message()
        messages.success(self.request, decision_message(self.page, self.workflow_action))

    def form_invalid(self, form: Any) -> HttpResponse:
        refused = REFUSED.get(self.action_name)
        if self.expects_json_response or self.locked_for_user or refused is None:
            return super().form_invalid(form)
        # As Wagtail's EditView.form_invalid (its validation branch), with our message.
        messages.validation_error(self.request, self.refused_message(refused), form)
        self.errors_debug = repr(form.errors)
        self.has_unsaved_changes = True
        return self.render_to_response(self.get_context_data())

    def refused_message(self, refused: str) -> str:
        revision = self.page.latest_revision
        if revision is None:
            return f"{refused}: fix what is listed below, then try again."
        saved_at = format_date(timezone.localtime(revision.created_at), "j M Y, H:i")
        return (
            f"{refused}: fix what is listed below, then try again. Your draft saved at "
            f"{saved_at} is kept; changes since then are in this form until you save."
        )


class MedicalPageCreateView(CreateView):
    """Wagtail's new-page editor, saying which action was refused, and whether autosave keeps
    the new page as a draft (Wagtail 8 saves the refused form at once, creating the page, when it
    is valid as a draft; without a title it is not, and autosave pauses)."""

    def form_invalid(self, form: Any) -> HttpResponse:
        refused = REFUSED.get(self.action_name)
        if self.expects_json_response or refused is None:
            return super().form_invalid(form)
        if self.valid_as_draft():
            kept = "This new page is saved as a draft as you edit."
        else:
            kept = "Nothing is saved until the page can be kept as a draft (its title, at least)."
        # As Wagtail's CreateView.form_invalid, with our message.
        messages.validation_error(
            self.request, f"{refused}: fix what is listed below, then try again. {kept}", form
        )
        self.has_unsaved_changes = True
        return self.render_to_response(self.get_context_data())

    def valid_as_draft(self) -> bool:
        """Whether the posted form would be saved as a draft: autosave's save, whose form
        Wagtail 8.0.1's CreateView.post builds as here, with required fields deferred."""
        draft = self.form_class(
            self.request.POST,
            self.request.FILES,
            instance=self.page_class(owner=self.request.user),
            subscription=self.subscription,
            parent_page=self.parent_page,
            for_user=self.request.user,
        )
        draft.defer_required_fields()
        return draft.is_valid()


class ReviewFormMixin:
    """The review's dialogs, opened from the editor or the dashboard: a reviewer with no
    credentials on record is asked for them in the dialog, which keeps what they typed if they
    leave them out."""

    request: HttpRequest

    def get_form_class(self) -> Any:
        form_class = super().get_form_class()  # type: ignore[misc]
        # The user's reviewer record (MedicalReviewer.user's reverse accessor), if any.
        record = getattr(self.request.user, "medical_reviewer", None)
        if form_class is ReviewApprovalForm and not (record and record.credentials):
            return FirstReviewApprovalForm
        return form_class


class MedicalWorkflowActionView(ReviewFormMixin, WorkflowActionView):
    """A review decision taken in a dialog outside the editor (the dashboard's "Awaiting your
    review"), confirmed as in the editor: Wagtail 8.0.1's WorkflowAction says nothing."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        self.task_state.refresh_from_db()
        if self.action_name in DECIDED and self.task_state.status != TaskState.STATUS_IN_PROGRESS:
            messages.success(request, decision_message(self.object, self.action_name))
        return response


class MedicalCollectWorkflowActionDataView(ReviewFormMixin, CollectWorkflowActionDataView):
    """The dialog of a review decision taken in the editor, which then saves and decides."""


class MedicalPageViewSet(PageViewSet):
    """Admin views of one medical page type: Wagtail's, with our create and edit views and the
    review's dialogs."""

    add_view_class = MedicalPageCreateView
    edit_view_class = MedicalPageEditView
    workflow_action_view_class = MedicalWorkflowActionView
    collect_workflow_action_data_view_class = MedicalCollectWorkflowActionDataView


def removed_blank_blocks(request: HttpRequest, page: Page) -> list[str]:
    """The labels of the blank blocks a save of the edit form in `request` dropped
    (`DropBlankBlocksMixin`), in the order they were sent."""
    labels: list[str] = []
    for field in page.specific_class._meta.get_fields():
        if not isinstance(field, StreamField):
            continue
        block = field.stream_block
        if block.value_omitted_from_data(request.POST, request.FILES, field.name):
            continue
        value = block.value_from_datadict(request.POST, request.FILES, field.name)
        if isinstance(block, DropBlankBlocksMixin):
            labels.extend(str(child.block.label) for child in block.blank_children(value))
    return labels


def say_which_blank_blocks_were_removed(request: HttpRequest, page: Page) -> None:
    """After a save in the editor: "Removed 2 empty blocks: Section, Care card." Autosave (a JSON
    answer) is left quiet: the editor still sees the block in the form and may fill it in."""
    if not request.accepts("text/html"):
        return
    labels = removed_blank_blocks(request, page)
    if labels:
        blocks = "block" if len(labels) == 1 else "blocks"
        messages.info(request, f"Removed {len(labels)} empty {blocks}: {', '.join(labels)}.")


# What Wagtail 8.0.1 says after a submit (the pages `EditView.submit_action` and
# `CreateView.submit_action`, in wagtail/admin/views/pages/edit.py and create.py) -> ours.
SUBMITTED_MESSAGES = {
    "Page '%(page_title)s' has been submitted for moderation.": (
        "'%(page_title)s' has been sent for medical review."
    ),
    "Page '%(page_title)s' created and submitted for moderation.": (
        "'%(page_title)s' has been created and sent for medical review."
    ),
}


def say_sent_for_review(request: HttpRequest, page: Page) -> None:
    """After a submit into the medical review: "'Nivolumab' has been sent for medical review."

    Wagtail's `submit_action` queues its own message (and its View draft and Edit buttons) just
    before the after_edit_page / after_create_page hooks run; this puts our words in its place.
    """
    if "action-submit" not in request.POST:
        return
    # Read fresh: the edit view loaded the page with its workflow states prefetched (Wagtail
    # 8.0.1's EditView), so `page.current_workflow_task_state` still says "none" after a submit.
    state = WorkflowState.objects.for_instance(page).active().first()
    task_state = state.current_task_state if state is not None else None
    if task_state is None or not isinstance(task_state.task.specific, MedicalReviewTask):
        return
    title = {"page_title": page.get_admin_display_title()}
    reworded = {
        escape(gettext(wagtail_says) % title): escape(ours % title)
        for wagtail_says, ours in SUBMITTED_MESSAGES.items()
    }
    # Django offers no way to change a queued message: reading the queue empties it, and
    # each message goes back, in order, with Wagtail's words replaced.
    for message in list(django_messages.get_messages(request)):
        text = message.message
        if isinstance(text, SafeString):  # Wagtail's message HTML
            for wagtail_says, ours in reworded.items():
                # Escaped words for escaped words; the rest of the HTML is Wagtail's.
                text = mark_safe(text.replace(wagtail_says, ours))  # noqa: S308
        django_messages.add_message(request, message.level, text, message.extra_tags)


class DraftailRichTextArea(draftail.DraftailRichTextArea):
    """Wagtail's Draftail editor, reading a posted value that is not editor data as no text."""

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        # Wagtail 8.0.x's DraftailRichTextArea.value_from_datadict hands the posted value to
        # json.loads and its ContentstateConverter: a blank or malformed one (only a hand-built
        # request sends it; Draftail posts "null" for no text) raised JSONDecodeError,
        # TypeError or KeyError, a 500. It can only mean "no text": a required field then says
        # so. A widget cannot raise a form error (the form reads it again to show the errors).
        value = data.get(name)
        if isinstance(value, str) and not value.strip():
            return ""
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError):
            return ""
