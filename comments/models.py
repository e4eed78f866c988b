"""Reader comments and the page mixin that opens pages to them."""

import html
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import strip_tags

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField

from rest_framework.fields import BooleanField

from .sanitizer import render_comment_html
from .validators import (
    BODY_REQUIRED,
    BODY_VALIDATORS,
    NAME_REQUIRED,
    NAME_VALIDATORS,
    ReaderLengthValidator,
    validate_author_url,
)

AUTHOR_NAME_MAX_LENGTH = 245
AUTHOR_EMAIL_MAX_LENGTH = 100
AUTHOR_URL_MAX_LENGTH = 200
BODY_MAX_LENGTH = 65_525


class CommentsMixin(models.Model):
    """Lets readers comment on a page; editors can close comments per page."""

    comments_open = models.BooleanField(
        default=True,
        help_text="Let readers leave comments and replies on this page.",
    )

    # Pages add these to their own settings_panels: [*Page.settings_panels, *comments_panels].
    comments_panels = [FieldPanel("comments_open")]
    # And to their api_fields: whether a front end may offer the form, and how many are shown.
    comments_api_fields = [
        APIField(
            "comments_open",
            serializer=BooleanField(source="comments_are_open", read_only=True),
        ),
        APIField("comment_count"),
    ]

    class Meta:
        abstract = True

    @property
    def comment_count(self) -> int:
        """Approved comments on this page; API querysets annotate it to save a query per page."""
        annotated = getattr(self, "approved_comment_count", None)
        if annotated is not None:
            return annotated
        return Comment.objects.filter(page_id=self.pk, status=Comment.Status.APPROVED).count()

    def get_view_restrictions(self) -> QuerySet:
        """Wagtail's `Page.get_view_restrictions()`, kept on this instance once read.

        Serving a page checks them (wagtail's `check_view_restrictions` hook iterates them) and
        the comment section asks again, for the same page in the same request: the evaluated
        queryset answers `exists()` and a second iteration without a query.
        """
        if self._view_restrictions is None:
            self._view_restrictions = super().get_view_restrictions()  # type: ignore[misc]
        return self._view_restrictions

    _view_restrictions: QuerySet | None = None

    def comments_are_open(self) -> bool:
        """Open unless closed here, or older than COMMENTS_CLOSE_AFTER_DAYS (0: never)."""
        if not self.comments_open:
            return False
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        published = getattr(self, "first_published_at", None)
        if days and published:
            return timezone.now() < published + timedelta(days=days)
        return True


class Comment(models.Model):
    """A reader's comment or reply under a page, shown once a moderator approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Trash"

    class HeldReason(models.TextChoices):
        """Why the posting rules held a comment or filed it as spam (comments/moderation.py)."""

        FIRST_COMMENT = "first_comment", "First comment from this name and email"
        LINKS = "links", "Contains links"
        CONTACT_DETAILS = "contact_details", "Contains a phone number or email address"
        MODERATION_WORD = "moderation_word", "Contains a word on the moderation list"
        MODERATE_ALL = "moderate_all", "Every comment is held for moderation"
        DISALLOWED_WORD = "disallowed_word", "Contains a word on the disallowed list"
        HONEYPOT = "honeypot", "Filled in the hidden field only bots see"

    # The reasons the rules file a comment as spam for (the others hold it for a moderator).
    SPAM_REASONS = frozenset({HeldReason.HONEYPOT, HeldReason.DISALLOWED_WORD})

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="reader_comments"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The comment this one replies to.",
    )
    author_name = models.CharField(
        "name",
        max_length=AUTHOR_NAME_MAX_LENGTH,
        validators=NAME_VALIDATORS,
        error_messages={"blank": NAME_REQUIRED},
    )
    author_email = models.EmailField(
        "email", max_length=AUTHOR_EMAIL_MAX_LENGTH, help_text="Never shown in public."
    )
    author_url = models.URLField(
        "website",
        max_length=AUTHOR_URL_MAX_LENGTH,
        blank=True,
        validators=[validate_author_url],
    )
    body = models.TextField(
        "comment",
        max_length=BODY_MAX_LENGTH,
        # Stored cleaned, with "<" as "&lt;": its length is counted on the text as typed.
        validators=[*BODY_VALIDATORS, ReaderLengthValidator(BODY_MAX_LENGTH)],
        error_messages={"blank": BODY_REQUIRED},
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    held_reasons = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Why the posting rules held this comment or filed it as spam.",
    )
    official = models.BooleanField(
        default=False,
        editable=False,
        help_text="Posted by a moderator for the site: badged as an official reply.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reader_comments",
    )

    # Set by the selectors that list comments in thread order (comments/selectors.py).
    thread_depth: int
    thread_replies: list["Comment"]

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["page", "status", "created_at"])]

    def __str__(self) -> str:
        # Names the comment in the admin's messages and history log (its pages are headed by the
        # author alone: comments.admin_views.CommentHeadingMixin).
        return f"{self.author_name} on “{self.page.title}”: {self.excerpt(60)}"

    def excerpt(self, length: int = 80) -> str:
        """The comment as plain text (tags dropped, entities decoded), cut at a word."""
        text = " ".join(html.unescape(strip_tags(self.body)).split())
        if len(text) <= length:
            return text
        return text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"

    def held_reason_labels(self) -> list[str]:
        """The moderation rules this comment tripped, in words."""
        labels = dict(self.HeldReason.choices)
        return [labels.get(reason, reason) for reason in self.held_reasons]

    def deletable_for_good(self) -> bool:
        """Deleting for good is for spam and trash only: any other comment goes to the trash
        first, which can be undone."""
        return self.status in (self.Status.SPAM, self.Status.TRASH)

    def filed_as_spam_by_rules(self) -> bool:
        """True when the posting rules filed this comment as spam, not only held it."""
        return any(reason in self.SPAM_REASONS for reason in self.held_reasons)

    def depth(self) -> int:
        """1 for a top-level comment, 2 for a reply to it, and so on."""
        depth, ancestor = 1, self.parent
        while ancestor is not None:
            depth, ancestor = depth + 1, ancestor.parent
        return depth

    def api_representation(self) -> dict[str, Any]:
        """What the public may see of a comment: never email, IP address or user agent.

        `thread_depth` is annotated by the selectors that list comments in thread order.
        """
        return {
            "id": self.pk,
            "parent": self.parent_id,
            "depth": self.thread_depth,
            "author_name": self.author_name,
            "author_url": self.author_url,
            "official": self.official,
            "created_at": self.created_at.isoformat(),
            "body_html": str(render_comment_html(self.body)),
        }

    def clean(self) -> None:
        super().clean()
        # Where a comment sits is checked when it is posted; later edits keep it there.
        parent = self.parent if self.parent_id is not None and self._state.adding else None
        if parent is None:
            return
        errors = []
        if parent.page_id != self.page_id:
            errors.append("You can only reply to a comment on the same page.")
        if parent.status != self.Status.APPROVED:
            errors.append("You can only reply to a published comment.")
        if parent.depth() >= settings.COMMENTS_MAX_DEPTH:
            errors.append(f"Replies can only be nested {settings.COMMENTS_MAX_DEPTH} levels deep.")
        if errors:
            raise ValidationError({"parent": errors})
