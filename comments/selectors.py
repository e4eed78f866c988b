"""Read-only queries for comments: what readers see and what moderators count."""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from wagtail.models import Page

from .models import Comment

PUBLIC_FIELDS = (
    "id",
    "page_id",
    "parent_id",
    "author_name",
    "author_url",
    "body",
    "official",
    "created_at",
)


def comment_page_get(*, page_id: int, specific: bool = True) -> Page | None:
    """The live, public page with this id (as its specific type unless told not to), or None."""
    page = Page.objects.live().public().filter(pk=page_id).first()
    return page.specific if page is not None and specific else page


def comment_order() -> tuple[str, str]:
    """Top-level threads' order (COMMENTS_ORDER): oldest first, as WordPress, or newest first."""
    return ("-created_at", "-id") if settings.COMMENTS_ORDER == "newest" else ("created_at", "id")


def _thread_order(top_level: list[Comment], replies: list[Comment]) -> list[Comment]:
    """Threads depth first, replies oldest first under their parent.

    Each comment gets `thread_depth` (1 for top level) and `thread_replies` (its approved
    replies). A reply whose parent is not among them is left out with its own replies.
    """
    children: dict[int | None, list[Comment]] = {}
    for reply in sorted(replies, key=lambda c: (c.created_at, c.pk)):
        children.setdefault(reply.parent_id, []).append(reply)
    ordered: list[Comment] = []
    stack = [(comment, 1) for comment in reversed(top_level)]
    while stack:
        comment, depth = stack.pop()
        comment.thread_depth = depth
        comment.thread_replies = children.get(comment.pk, [])
        ordered.append(comment)
        stack.extend((reply, depth + 1) for reply in reversed(comment.thread_replies))
    return ordered


def comment_list_approved(*, page: Page) -> list[Comment]:
    """Every approved comment of a page in thread order (see `_thread_order`), in one query."""
    comments = list(
        Comment.objects.filter(page_id=page.pk, status=Comment.Status.APPROVED)
        .only(*PUBLIC_FIELDS)
        .order_by(*comment_order())
    )
    top_level = [comment for comment in comments if comment.parent_id is None]
    return _thread_order(top_level, [comment for comment in comments if comment.parent_id])


@dataclass
class CommentThreadsPage:
    """One page of a page's comment threads, as readers see it under the article."""

    comments: list[Comment]  # the page's threads, in thread order
    threads: DjangoPage  # the paginator page of top-level comments (number, links)
    total: int  # approved comments on the whole page, replies included


def comment_threads_page(*, page: Page, number: int | str | None = 1) -> CommentThreadsPage:
    """The COMMENTS_PER_PAGE top-level threads of page `number`, with all their replies.

    A few queries however many comments there are: the threads of this page, then their
    replies one level at a time (at most COMMENTS_MAX_DEPTH levels), and two counts. An
    out-of-range or malformed `number` gives the nearest page (Django's `get_page`).
    """
    approved = Comment.objects.filter(page_id=page.pk, status=Comment.Status.APPROVED).only(
        *PUBLIC_FIELDS
    )
    top_level = approved.filter(parent=None).order_by(*comment_order())
    threads = Paginator(top_level, settings.COMMENTS_PER_PAGE).get_page(number)
    shown = list(threads.object_list)
    replies: list[Comment] = []
    parents = [comment.pk for comment in shown]
    while parents:
        level = list(approved.filter(parent_id__in=parents).order_by())
        replies += level
        parents = [comment.pk for comment in level]
    total = approved.order_by().count() if threads.paginator.count else 0
    return CommentThreadsPage(_thread_order(shown, replies), threads, total)


def comment_page_number(comment: Comment) -> int:
    """The page of threads (`?cpage=`) that shows `comment`, for permalinks."""
    root_id, parent_id = comment.pk, comment.parent_id
    while parent_id is not None:  # one small query per level, at most COMMENTS_MAX_DEPTH
        root_id, parent_id = (
            parent_id,
            Comment.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first(),
        )
    root = Comment.objects.only("created_at").get(pk=root_id)
    before = Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)
    if settings.COMMENTS_ORDER == "newest":
        before = Q(created_at__gt=root.created_at) | Q(created_at=root.created_at, pk__gt=root.pk)
    earlier = Comment.objects.filter(
        before, page_id=comment.page_id, status=Comment.Status.APPROVED, parent=None
    ).count()
    return earlier // settings.COMMENTS_PER_PAGE + 1


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
