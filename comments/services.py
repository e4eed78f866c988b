"""Everything that changes comments: posting, moderating, replying, privacy requests."""

import logging
import math
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Permission, User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q, QuerySet

from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry
from wagtail.models import Page

from site_config.params import optional_int

from .models import Comment, CommentsMixin
from .moderation import comment_moderation
from .sanitizer import clean_comment_html
from .signals import comments_changed

logger = logging.getLogger(__name__)

MODERATION_PERMISSION = "comments.change_comment"
ERASED_NAME = "Anonymous"
ERASED_EMAIL = "deleted@site.invalid"
ERASED_BODY = "This comment was removed at its author's request."
# What a comment's history says of each move to a status (Wagtail's log; its actions are
# registered in wagtail_hooks.py and named by status_log_action()).
STATUS_LOG_MESSAGES = {
    Comment.Status.APPROVED: "Approved",
    Comment.Status.PENDING: "Moved back to pending",
    Comment.Status.SPAM: "Marked as spam",
    Comment.Status.TRASH: "Moved to trash",
}
# What a comment's history says of the other moderation steps (registered with the above).
REPLIED_ACTION = "comments.replied"
ERASED_ACTION = "comments.erased"
OTHER_LOG_MESSAGES = {
    REPLIED_ACTION: "Replied to (official reply)",
    ERASED_ACTION: "Author's personal data erased",
}


class CommentRefused(Exception):
    """A comment that breaks a posting rule: the message shown to the reader, the HTTP status
    the form and the API both answer with, and the fields at fault (none: the whole comment).

    This is the one mapping of posting errors to answers; the form view and the API read it.
    """

    message = "Your comment could not be posted."
    status_code = 400

    def __init__(
        self, message: str | None = None, *, errors: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message or self.message)
        self.errors = errors or {}


class CommentInvalid(CommentRefused):
    """A comment whose fields break the model's rules (errors keyed by field)."""


class CommentsClosed(CommentRefused):
    message = "Comments are closed."
    status_code = 403


class CommentFlood(CommentRefused):
    status_code = 429

    def __init__(self, wait_seconds: int) -> None:
        super().__init__(
            "You are posting comments too quickly. "
            f"Please wait {wait_seconds} second{'s' if wait_seconds != 1 else ''}, then post again."
        )


class DuplicateComment(CommentRefused):
    message = "Duplicate comment detected; it looks as though you've already said that!"
    status_code = 409


class ParentUnavailable(CommentRefused):
    message = "The comment you are replying to is not available."

    def __init__(self) -> None:
        super().__init__(errors={"parent": [self.message]})


def comments_are_open(page: Page) -> bool:
    """True for a live, public page whose type takes comments and whose comments are open."""
    return (
        page.live
        and isinstance(page, CommentsMixin)
        and page.comments_are_open()
        and not page.get_view_restrictions().exists()
    )


def _flood_key(ip_address: str) -> str:
    return f"comments:flood:{ip_address}"


def _lock_page_for_posting(page: Page) -> None:
    """Hold other posts to this page until commit, so each duplicate check sees the ones before.

    Without it two copies of one comment sent at once (a double click, a client retrying) both
    pass the check on PostgreSQL and both are stored. The page row is locked FOR NO KEY UPDATE:
    posts to the page (and saves of the page itself) wait for it; reads of the page do not.
    SQLite needs no lock (and takes none): its IMMEDIATE transactions run one writer at a time.
    """
    list(Page.objects.select_for_update(no_key=True).filter(pk=page.pk).values_list("pk"))


def _check_duplicate(comment: Comment) -> None:
    duplicate = (
        Comment.objects.filter(
            page_id=comment.page_id, parent_id=comment.parent_id, body=comment.body
        )
        .filter(Q(author_name=comment.author_name) | Q(author_email__iexact=comment.author_email))
        .exclude(status=Comment.Status.TRASH)
        .exists()
    )
    if duplicate:
        raise DuplicateComment


def _check_flood(ip_address: str | None) -> None:
    # cache.add is atomic and, with a shared cache such as Redis, holds across app servers. The
    # key holds when the window opened, to tell a refused reader how long is left.
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if not ip_address or seconds <= 0:
        return
    now = time.time()
    if cache.add(_flood_key(ip_address), now, timeout=seconds):
        return
    opened = cache.get(_flood_key(ip_address))
    left = seconds - (now - opened) if isinstance(opened, float) else seconds
    raise CommentFlood(wait_seconds=max(1, math.ceil(left)))


def comment_is_official(user: User | None) -> bool:
    """A comment from a signed-in moderator speaks for the site."""
    return bool(user is not None and user.is_staff and user.has_perm(MODERATION_PERMISSION))


@transaction.atomic
def comment_create(
    *,
    page: Page,
    author_name: str,
    author_email: str,
    body: str,
    author_url: str = "",
    parent: Comment | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    user: User | AnonymousUser | None = None,
    honeypot: str = "",
) -> Comment:
    """Post a reader's comment: cleaned, checked against the rules, published or held."""
    if not comments_are_open(page):
        raise CommentsClosed
    comment = Comment(
        page=page,
        parent=parent,
        author_name=author_name.strip(),
        author_email=author_email.strip(),
        author_url=author_url.strip(),
        body=clean_comment_html(body).strip(),
        ip_address=ip_address or None,
        user_agent=user_agent[:255],
        user=user if user is not None and user.is_authenticated else None,
    )
    comment.official = comment_is_official(comment.user)
    comment.full_clean()
    _lock_page_for_posting(page)
    _check_duplicate(comment)
    _check_flood(comment.ip_address)
    comment.status, comment.held_reasons = comment_moderation(comment, honeypot=honeypot)
    comment.save()
    if comment.status == Comment.Status.PENDING:
        transaction.on_commit(lambda: comment_notify_moderators(comment=comment))
    return comment


def comment_submit(
    *,
    page: Page,
    parent_id: int | None,
    author_name: str,
    author_email: str,
    body: str,
    author_url: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    user: User | AnonymousUser | None = None,
    honeypot: str = "",
) -> Comment:
    """Post what a reader sent from the comment form or the JSON API, checked the same way.

    Raises `CommentRefused` (closed comments, an unavailable parent, invalid fields, a
    duplicate, a flood), whose status and message both callers answer with as they are.
    """
    parent = None
    if parent_id:
        parent = Comment.objects.filter(pk=parent_id, page_id=page.pk).first()
        if parent is None:
            # A closed page says so first; an open one is checked once, by comment_create.
            raise CommentsClosed if not comments_are_open(page) else ParentUnavailable
    try:
        return comment_create(
            page=page,
            parent=parent,
            author_name=author_name,
            author_email=author_email,
            author_url=author_url,
            body=body,
            ip_address=ip_address,
            user_agent=user_agent,
            user=user,
            honeypot=honeypot,
        )
    except ValidationError as error:
        raise CommentInvalid(errors=error.message_dict) from error  # full_clean: by field


@transaction.atomic
def comment_reply_as_moderator(*, parent: Comment, moderator: User, body: str) -> Comment:
    """A moderator's reply, signed with their name and published at once."""
    comment = Comment(
        page_id=parent.page_id,
        parent=parent,
        author_name=moderator.get_full_name() or moderator.get_username(),
        author_email=moderator.email or ERASED_EMAIL,
        body=clean_comment_html(body).strip(),
        user=moderator,
        status=Comment.Status.APPROVED,
        official=True,
    )
    comment.full_clean()
    comment.save()
    log(parent, REPLIED_ACTION, user=moderator)
    return comment


def status_log_action(status: str) -> str:
    """The action a move to `status` is logged under in the comment's history."""
    return f"comments.{status}"


def comment_log_status(*, comment: Comment, moderator: AbstractBaseUser | None) -> None:
    """Record in the comment's history who moved it to its status (read by its history page)."""
    log(comment, status_log_action(comment.status), user=moderator)


@transaction.atomic
def comment_set_status(
    *, comment: Comment, status: str, moderator: AbstractBaseUser | None
) -> Comment:
    """Move one comment to approved, pending, spam or trash."""
    if status not in Comment.Status.values:
        raise ValueError(f"unknown comment status {status!r}")
    if comment.status != status:
        comment.status = status
        comment.save(update_fields=["status"])
        comment_log_status(comment=comment, moderator=moderator)
    logger.info("Comment %s marked %s by %s", comment.pk, status, moderator)
    return comment


def comment_approve(*, comment: Comment, moderator: AbstractBaseUser) -> Comment:
    """Publish a comment under its page."""
    return comment_set_status(comment=comment, status=Comment.Status.APPROVED, moderator=moderator)


def comment_unapprove(*, comment: Comment, moderator: AbstractBaseUser) -> Comment:
    """Take a comment off the page and back to the moderation queue."""
    return comment_set_status(comment=comment, status=Comment.Status.PENDING, moderator=moderator)


def comment_mark_spam(*, comment: Comment, moderator: AbstractBaseUser) -> Comment:
    """File a comment as spam."""
    return comment_set_status(comment=comment, status=Comment.Status.SPAM, moderator=moderator)


def comment_trash(*, comment: Comment, moderator: AbstractBaseUser) -> Comment:
    """Move a comment to the trash."""
    return comment_set_status(comment=comment, status=Comment.Status.TRASH, moderator=moderator)


def comment_bulk_set_status(
    *, comments: QuerySet[Comment], status: str, moderator: AbstractBaseUser
) -> int:
    """Move many comments to one status; returns how many changed."""
    if status not in Comment.Status.values:
        raise ValueError(f"unknown comment status {status!r}")
    with transaction.atomic():
        # Locked, so the comments logged are the ones this update changes.
        changing = list(
            comments.exclude(status=status).select_related("page").select_for_update(of=("self",))
        )
        changed = Comment.objects.filter(pk__in=[comment.pk for comment in changing]).update(
            status=status
        )
        for comment in changing:
            comment.status = status
            comment_log_status(comment=comment, moderator=moderator)
    page_ids = {comment.page_id for comment in changing}
    comments_changed.send(sender=Comment, page_ids=page_ids)  # a bulk update sends no post_save
    logger.info("%s comment(s) marked %s by %s", changed, status, moderator)
    return changed


@transaction.atomic
def comment_bulk_import(*, comments: list[Comment]) -> list[Comment]:
    """Store comments brought from another system as they were there: their own status and date,
    no posting rules (flood control, first-comment hold) and no moderator emails.

    Bodies go through the same whitelist as new comments. Parents must be saved first.
    """
    for comment in comments:
        comment.body = clean_comment_html(comment.body).strip()
        comment.parent_id = comment.parent.pk if comment.parent is not None else None
    created = Comment.objects.bulk_create(comments)
    # A bulk create sends no post_save: the pages' comment data is refreshed from this signal.
    comments_changed.send(sender=Comment, page_ids={comment.page_id for comment in created})
    return created


def comment_moderator_emails() -> list[str]:
    """Addresses of active users who may moderate comments, plus COMMENTS_NOTIFY_EMAILS."""
    app_label, codename = MODERATION_PERMISSION.split(".")
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    who = Q(is_superuser=True)
    if permission is not None:
        who |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    users = get_user_model().objects.filter(who, is_active=True).exclude(email="").distinct()
    return sorted({user.email for user in users} | set(settings.COMMENTS_NOTIFY_EMAILS))


def comment_notify_moderators(*, comment: Comment) -> int:
    """Email each moderator about a comment held for moderation; returns messages sent."""
    if not settings.COMMENTS_NOTIFY_MODERATORS:
        return 0
    recipients = comment_moderator_emails()
    if not recipients:
        return 0
    page_title = Page.objects.filter(pk=comment.page_id).values_list("title", flat=True).first()
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/comments/comment/"
    subject = f"[{settings.WAGTAIL_SITE_NAME}] Please moderate: {page_title}"
    text = (
        f"A new comment on “{page_title}” is waiting for your approval.\n\n"
        f"Author: {comment.author_name}\n"
        f"Website: {comment.author_url or '-'}\n"
        f"Comment:\n{comment.body}\n\n"
        f"Approve, mark as spam or trash it here: {admin_url}?status__exact=pending\n"
    )
    messages = [(subject, text, None, [address]) for address in recipients]
    try:
        return send_mass_mail(messages, fail_silently=False)
    except Exception:
        # The comment is saved and listed in the admin; a mail outage must not fail the post.
        logger.exception("Could not email moderators about comment %s", comment.pk)
        return 0


def _commenter_comments(email: str) -> QuerySet[Comment]:
    return Comment.objects.filter(author_email__iexact=email.strip())


def commenter_export(*, email: str) -> list[dict[str, Any]]:
    """Every comment and the personal data stored with it, for one email address."""
    return [
        {
            "id": comment.pk,
            "page": comment.page_id,
            "page_title": comment.page.title,
            "parent": comment.parent_id,
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_url": comment.author_url,
            "body": comment.body,
            "status": comment.status,
            "created_at": comment.created_at.isoformat(),
            "ip_address": comment.ip_address,
            "user_agent": comment.user_agent,
        }
        for comment in _commenter_comments(email).select_related("page").order_by("created_at")
    ]


@transaction.atomic
def commenter_erase(
    *,
    email: str,
    remove_text: bool = False,
    moderator: AbstractBaseUser | AnonymousUser | None = None,
) -> int:
    """Anonymise one commenter's personal data, and optionally their text; returns the count.

    Each comment's history says so, and its earlier entries, which named the comment by its
    author, name it as it now reads.
    """
    changes: dict[str, Any] = {
        "author_name": ERASED_NAME,
        "author_email": ERASED_EMAIL,
        "author_url": "",
        "ip_address": None,
        "user_agent": "",
        "user": None,
    }
    if remove_text:
        changes["body"] = ERASED_BODY
    ids = list(_commenter_comments(email).values_list("pk", flat=True))
    Comment.objects.filter(pk__in=ids).update(**changes)
    erased = list(Comment.objects.filter(pk__in=ids).select_related("page"))
    for comment in erased:
        log_registry.get_logs_for_instance(comment).update(label=str(comment))
        log(comment, ERASED_ACTION, user=moderator)
    # A bulk update sends no post_save.
    comments_changed.send(sender=Comment, page_ids={comment.page_id for comment in erased})
    return len(erased)


def comments_with_ids(ids: Iterable[int | str]) -> QuerySet[Comment]:
    return Comment.objects.filter(pk__in=[pk for pk in map(optional_int, ids) if pk is not None])
