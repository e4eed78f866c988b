"""Posting comments (cleaning, flood, duplicates, closed pages, emails), moderating, privacy."""

import time

from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError

from wagtail.log_actions import registry as log_registry
from wagtail.models import PageViewRestriction

import pytest

from comments.models import Comment
from comments.services import (
    ERASED_BODY,
    ERASED_EMAIL,
    CommentFlood,
    CommentsClosed,
    DuplicateComment,
    comment_approve,
    comment_bulk_import,
    comment_bulk_set_status,
    comment_create,
    comment_mark_spam,
    comment_moderator_emails,
    comment_reply_as_moderator,
    comment_trash,
    comment_unapprove,
    commenter_erase,
    commenter_export,
    comments_are_open,
)
from comments.signals import comments_changed
from tests.helpers import FLOOD_MESSAGE

pytestmark = [pytest.mark.django_db, pytest.mark.backends]


def post(article, **fields) -> Comment:
    values = {
        "page": article,
        "author_name": "Alex",
        "author_email": "alex@example.org",
        "body": "Helpful, thank you.",
        "ip_address": "198.51.100.7",
        **fields,
    }
    return comment_create(**values)


def test_body_is_stored_clean(article) -> None:
    comment = post(article, body='<p onclick="x">Hi <script>alert(1)</script><b>there</b></p>')
    comment.refresh_from_db()
    assert comment.body == "Hi <b>there</b>"
    assert comment.status == Comment.Status.PENDING
    assert comment.ip_address == "198.51.100.7"


def test_body_that_cleans_to_nothing_is_a_field_error(article) -> None:
    with pytest.raises(ValidationError) as error:
        post(article, body="<script>alert(1)</script>")
    assert "body" in error.value.message_dict
    assert not Comment.objects.exists()


def test_user_agent_is_trimmed_and_anonymous_user_not_stored(article, django_user_model) -> None:
    from django.contrib.auth.models import AnonymousUser

    comment = post(article, user_agent="U" * 400, user=AnonymousUser())
    assert len(comment.user_agent) == 255
    assert comment.user is None


def test_flood_control_refuses_a_second_comment_from_one_ip(article, settings) -> None:
    post(article)
    with pytest.raises(CommentFlood) as refused:
        post(article, body="Another thought.")
    assert FLOOD_MESSAGE.fullmatch(str(refused.value))
    post(article, body="From elsewhere.", ip_address="198.51.100.8")
    assert Comment.objects.count() == 2


def test_flood_control_can_be_turned_off(article, settings) -> None:
    settings.COMMENTS_FLOOD_SECONDS = 0
    post(article)
    post(article, body="Another thought.")
    assert Comment.objects.count() == 2


def test_flood_window_uses_the_shared_cache_and_says_how_long_is_left(article) -> None:
    from django.core.cache import cache

    post(article)
    key = "comments:flood:198.51.100.7"
    cache.set(key, time.time() - 10, timeout=5)  # the window opened 10 of its 15 seconds ago
    with pytest.raises(CommentFlood, match=r"Please wait [1-5] seconds?, then post again\."):
        post(article, body="Later thought.")
    cache.delete(key)  # the window has passed
    post(article, body="Later thought.")


def test_invalid_comment_does_not_start_the_flood_window(article) -> None:
    with pytest.raises(ValidationError):
        post(article, author_email="nope")
    post(article)


def test_duplicate_comment_is_refused(article, settings) -> None:
    settings.COMMENTS_FLOOD_SECONDS = 0
    post(article)
    message = "Duplicate comment detected; it looks as though you've already said that!"
    with pytest.raises(DuplicateComment, match=message):
        post(article)
    with pytest.raises(DuplicateComment):
        post(article, author_name="Alexandra")  # same email, same words
    post(article, body="Something new.")


def test_a_trashed_comment_is_not_a_duplicate(article, settings) -> None:
    settings.COMMENTS_FLOOD_SECONDS = 0
    comment_trash(comment=post(article), moderator=None)
    post(article)


def test_closed_page_refuses_comments(article) -> None:
    article.comments_open = False
    article.save()
    with pytest.raises(CommentsClosed, match="Comments are closed."):
        post(article)


def test_pages_without_the_mixin_or_not_public_take_no_comments(article) -> None:
    assert comments_are_open(article)
    assert not comments_are_open(article.get_parent().specific)  # the article index
    PageViewRestriction.objects.create(page=article, restriction_type="login")
    assert not comments_are_open(article)


def test_unpublished_page_takes_no_comments(article) -> None:
    article.unpublish()
    assert not comments_are_open(article)


def test_reply_stores_its_parent(article, make_comment) -> None:
    parent = make_comment()
    reply = post(article, parent=parent)
    assert reply.parent == parent


def test_moderators_get_an_email_for_each_held_comment(
    article, moderator, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post(article, body="Does this work for melanoma?")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mod@example.org"]
    assert "Please moderate" in message.subject
    assert article.title in message.subject
    assert "Does this work for melanoma?" in message.body
    assert "/admin/comments/comment/" in message.body


def test_no_email_for_approved_or_spam_comments(
    article, make_comment, moderator, django_capture_on_commit_callbacks
) -> None:
    make_comment(author_name="Alex", author_email="alex@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert post(article, body="Approved at once.").status == "approved"
        assert post(article, body="Bot", honeypot="x", ip_address="192.0.2.99").status == "spam"
    assert mail.outbox == []


def test_notification_setting_turns_emails_off(
    article, moderator, settings, django_capture_on_commit_callbacks
) -> None:
    settings.COMMENTS_NOTIFY_MODERATORS = False
    with django_capture_on_commit_callbacks(execute=True):
        post(article)
    assert mail.outbox == []


def test_moderator_emails_are_users_who_may_moderate(moderator, editor, django_user_model) -> None:
    django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    inactive = django_user_model.objects.create_user("gone", "gone@example.org", "pw")
    inactive.groups.add(Group.objects.get(name="Comment moderators"))
    inactive.is_active = False
    inactive.save()
    assert comment_moderator_emails() == ["mod@example.org", "root@example.org"]


def test_extra_notification_addresses_come_from_the_setting(db, settings) -> None:
    settings.COMMENTS_NOTIFY_EMAILS = ["team@example.org"]
    assert comment_moderator_emails() == ["team@example.org"]


@pytest.mark.parametrize(
    ("service", "status"),
    [
        (comment_approve, "approved"),
        (comment_unapprove, "pending"),
        (comment_mark_spam, "spam"),
        (comment_trash, "trash"),
    ],
)
def test_status_services(make_comment, moderator, service, status) -> None:
    comment = make_comment(status="pending" if status != "pending" else "approved")
    service(comment=comment, moderator=moderator)
    comment.refresh_from_db()
    assert comment.status == status


def test_a_status_move_is_in_the_comments_history_once(make_comment, moderator) -> None:
    comment = make_comment(status="pending")
    comment_mark_spam(comment=comment, moderator=moderator)
    comment_mark_spam(comment=comment, moderator=moderator)  # already spam: no move
    comment_bulk_set_status(
        comments=Comment.objects.filter(pk=comment.pk), status="spam", moderator=moderator
    )
    entries = log_registry.get_logs_for_instance(comment)
    assert [(entry.message, entry.user) for entry in entries] == [("Marked as spam", moderator)]


def test_bulk_status_change_counts_changes(make_comment, moderator) -> None:
    first, second = make_comment(status="pending"), make_comment(status="approved")
    changed = comment_bulk_set_status(
        comments=Comment.objects.filter(pk__in=[first.pk, second.pk]),
        status="approved",
        moderator=moderator,
    )
    assert changed == 1
    with pytest.raises(ValueError, match="unknown comment status"):
        comment_bulk_set_status(comments=Comment.objects.all(), status="gone", moderator=moderator)


def test_moderator_reply_is_published_and_signed(make_comment, moderator) -> None:
    parent = make_comment()
    reply = comment_reply_as_moderator(
        parent=parent, moderator=moderator, body="Please ask your team <script>x</script>."
    )
    assert reply.status == "approved"
    assert reply.author_name == "Maud Moderator"
    assert reply.user == moderator
    assert reply.page_id == parent.page_id
    assert reply.body == "Please ask your team ."


def test_export_lists_every_comment_of_one_email(make_comment) -> None:
    make_comment(author_email="Pat@Example.org", body="One")
    make_comment(author_email="pat@example.org", body="Two", author_url="https://pat.example")
    make_comment(author_email="other@example.org")
    rows = commenter_export(email="pat@example.org")
    assert [row["body"] for row in rows] == ["One", "Two"]
    assert rows[1]["author_url"] == "https://pat.example"
    assert rows[0]["ip_address"] == "192.0.2.10"
    assert rows[0]["user_agent"] == "TestBrowser/1.0"


def test_erase_anonymises_and_keeps_text_by_default(make_comment) -> None:
    mine = make_comment(author_email="pat@example.org", author_url="https://pat.example")
    other = make_comment(author_email="other@example.org")
    assert commenter_erase(email="PAT@example.org") == 1
    mine.refresh_from_db()
    assert mine.author_name == "Anonymous"
    assert mine.author_email == ERASED_EMAIL
    assert (mine.author_url, mine.ip_address, mine.user_agent) == ("", None, "")
    assert mine.body.startswith("Comment number")
    other.refresh_from_db()
    assert other.author_email == "other@example.org"


def test_erase_can_remove_the_text(make_comment) -> None:
    mine = make_comment(author_email="pat@example.org")
    commenter_erase(email="pat@example.org", remove_text=True)
    mine.refresh_from_db()
    assert mine.body == ERASED_BODY


def test_a_mail_outage_does_not_fail_the_post(
    article, moderator, settings, django_capture_on_commit_callbacks, caplog
) -> None:
    settings.EMAIL_BACKEND = "tests.comments.broken_mail.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(article)
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert "Could not email moderators" in caplog.text


def test_bulk_import_keeps_status_and_date_and_cleans_bodies(
    article, settings, django_capture_on_commit_callbacks
):
    from datetime import UTC, datetime

    settings.COMMENTS_FLOOD_SECONDS = 3600
    when = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    parent = Comment(
        page=article, author_name="A", author_email="a@example.org",
        body="<b>Hi</b><script>x</script>", status=Comment.Status.PENDING, created_at=when,
        ip_address="192.0.2.1",
    )  # fmt: skip
    announced = []

    def listener(sender, page_ids, **kwargs):
        announced.append(set(page_ids))

    comments_changed.connect(listener)
    with django_capture_on_commit_callbacks(execute=True):
        (stored,) = comment_bulk_import(comments=[parent])
        reply = Comment(
            page=article, parent=stored, author_name="B", author_email="b@example.org",
            body="Same IP, seconds later", status=Comment.Status.APPROVED, ip_address="192.0.2.1",
        )  # fmt: skip
        comment_bulk_import(comments=[reply])
    stored.refresh_from_db()
    assert (stored.status, stored.created_at, stored.body) == ("pending", when, "<b>Hi</b>")
    # No flood control, no hold for a first comment, no email: they keep their old status.
    assert Comment.objects.get(author_name="B").parent == stored
    assert Comment.objects.get(author_name="B").status == "approved"
    assert mail.outbox == []
    comments_changed.disconnect(listener)
    assert announced == [{article.pk}, {article.pk}]  # the page's comment data is refreshed
