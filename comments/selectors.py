"""Read-only queries for comments: what readers see and what moderators count."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from wagtail.models import Page

from .models import Comment

PUBLIC_FIELDS = ("id", "page_id", "parent_id", "author_name", "author_url", "body", "created_at")


def comment_page_get(*, page_id: int, specific: bool = True) -> Page | None:
    """The live, public page with this id (as its specific type unless told not to), or None."""
    page = Page.objects.live().public().filter(pk=page_id).first()
    return page.specific if page is not None and specific else page


def comment_list_approved(*, page: Page) -> list[Comment]:
    """Approved comments of a page in thread order, in one query.

    Each comment gets `thread_depth` (1 for top level) and `thread_replies` (its
    approved replies). A reply whose parent is not approved is left out with it.
    """
    comments = list(
        Comment.objects.filter(page_id=page.pk, status=Comment.Status.APPROVED)
        .only(*PUBLIC_FIELDS)
        .order_by("created_at", "id")
    )
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:
        comment.thread_replies = []
        children.setdefault(comment.parent_id, []).append(comment)

    ordered: list[Comment] = []
    stack = [(comment, 1) for comment in reversed(children.get(None, []))]
    while stack:
        comment, depth = stack.pop()
        comment.thread_depth = depth
        comment.thread_replies = children.get(comment.pk, [])
        ordered.append(comment)
        stack.extend((reply, depth + 1) for reply in reversed(comment.thread_replies))
    return ordered


def comment_count_approved() -> Coalesce:
    """An annotation for page querysets: each page's approved comments, counted in one query."""
    approved = (
        Comment.objects.filter(page_id=OuterRef("pk"), status=Comment.Status.APPROVED)
        .order_by()
        .values("page_id")
        .annotate(count=Count("id"))
        .values("count")
    )
    return Coalesce(Subquery(approved, output_field=IntegerField()), Value(0))


def comment_count_pending() -> int:
    return Comment.objects.filter(status=Comment.Status.PENDING).count()


def comment_pending_by_page(*, limit: int = 10) -> list[dict]:
    """Pages with the most comments awaiting moderation: page id, title and count."""
    return list(
        Comment.objects.filter(status=Comment.Status.PENDING)
        .values("page_id", "page__title")
        .annotate(pending=Count("id"))
        .order_by("-pending", "page__title")[:limit]
    )
