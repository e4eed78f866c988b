"""A post's `wp:comment` entries as reader comments, threaded, with their WordPress status."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email, validate_ipv46_address
from django.utils import timezone

from comments.models import (
    AUTHOR_EMAIL_MAX_LENGTH,
    AUTHOR_NAME_MAX_LENGTH,
    AUTHOR_URL_MAX_LENGTH,
    Comment,
)
from comments.services import comment_bulk_import

from .records import Records
from .report import ImportReport
from .wxr import WXRComment

STATUSES = {
    "1": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
LINKBACK_TYPES = frozenset({"pingback", "trackback"})
_url = URLValidator(schemes=["http", "https"])


def _valid(validator: Any, value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def import_comments(
    *, page: Any, wp_comments: list[WXRComment], records: Records, report: ImportReport, where: str
) -> int:
    """Add the comments not imported before; returns how many were created.

    Created one thread level at a time (a bulk insert per level), so the queries do not grow
    with the number of comments.
    """
    reader_comments = []
    for wp_comment in wp_comments:
        if wp_comment.type in LINKBACK_TYPES:
            report.pingbacks_skipped += 1
        else:
            reader_comments.append(wp_comment)
    known = records.object_ids("comment", [c.id for c in reader_comments])
    report.add("comments", "skipped", len(known))
    new = [c for c in reader_comments if c.id not in known]
    if not new:
        return 0

    by_id = {c.id: c for c in new}
    existing_parents = {
        comment.pk: comment
        for comment in Comment.objects.filter(
            pk__in=[known[c.parent] for c in new if c.parent in known]
        )
    }
    # wp id -> (comment, depth); None for a skipped comment with no parent to stand for it
    placed: dict[int, tuple[Comment, int] | None] = {
        wp_id: (existing_parents[pk], existing_parents[pk].depth())
        for wp_id, pk in known.items()
        if pk in existing_parents
    }
    max_depth = settings.COMMENTS_MAX_DEPTH
    levels: dict[int, list[tuple[int, Comment]]] = {}

    def place(
        wp_comment: WXRComment, seen: frozenset[int] = frozenset()
    ) -> tuple[Comment, int] | None:
        if wp_comment.id in placed:
            return placed[wp_comment.id]
        parent_entry = None
        if wp_comment.parent:
            if wp_comment.parent in by_id and wp_comment.parent not in seen:
                parent_entry = place(by_id[wp_comment.parent], seen | {wp_comment.id})
            elif wp_comment.parent in placed:
                parent_entry = placed[wp_comment.parent]
            if parent_entry is None:
                report.note(
                    where,
                    f"comment {wp_comment.id} replies to comment {wp_comment.parent}, which is "
                    "not in the export: shown as a top-level comment",
                )
        comment = _comment(page, wp_comment, where, report)
        if comment is None:
            placed[wp_comment.id] = parent_entry  # replies to a skipped comment go to its parent
            return parent_entry
        depth = 1
        if parent_entry is not None:
            # Climb to the deepest level replies may have (to None, the top, when that is 1).
            parent: Comment | None
            parent, parent_depth = parent_entry
            while parent is not None and parent_depth >= max_depth:
                parent, parent_depth = parent.parent, parent_depth - 1
            if parent_depth + 1 < parent_entry[1] + 1:
                report.note(
                    where,
                    f"comment {wp_comment.id} was nested {parent_entry[1] + 1} levels deep: "
                    f"attached at level {max_depth}, the deepest allowed",
                )
            comment.parent, depth = parent, parent_depth + 1
        placed[wp_comment.id] = (comment, depth)
        levels.setdefault(depth, []).append((wp_comment.id, comment))
        return placed[wp_comment.id]

    for wp_comment in new:
        place(wp_comment)
    created = 0
    for depth in sorted(levels):
        level = levels[depth]
        comment_bulk_import(comments=[comment for _, comment in level])
        records.add_many("comment", level)
        created += len(level)
    report.add("comments", "created", created)
    return created


def _comment(page: Any, wp_comment: WXRComment, where: str, report: ImportReport) -> Comment | None:
    status = STATUSES.get(wp_comment.approved)
    if status is None:
        report.note(
            where, f"comment {wp_comment.id} has status {wp_comment.approved!r}: held as pending"
        )
        status = Comment.Status.PENDING
    if not wp_comment.content.strip():
        report.note(where, f"comment {wp_comment.id} is empty: skipped")
        report.add("comments", "skipped")
        return None
    email = wp_comment.email[:AUTHOR_EMAIL_MAX_LENGTH]
    url = wp_comment.url[:AUTHOR_URL_MAX_LENGTH]
    return Comment(
        page=page,
        author_name=(wp_comment.author or "Anonymous")[:AUTHOR_NAME_MAX_LENGTH],
        author_email=email if email and _valid(validate_email, email) else "",
        author_url=url if url and _valid(_url, url) else "",
        ip_address=wp_comment.ip
        if wp_comment.ip and _valid(validate_ipv46_address, wp_comment.ip)
        else None,
        body=wp_comment.content,
        status=status,
        created_at=wp_comment.date or timezone.now(),
    )
