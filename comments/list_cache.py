"""The rendered comment list of each page of threads, kept in Django's cache until the page's
comments change.

Rendering 200 comments (sanitising each body, building each item) is most of the cost of an
article page rendered anew; the list is the same for every reader, so it is kept in the default
cache (shared by every process: Redis, the database or files) under a version per page. Any
comment saved or deleted, and every bulk change (`comments_changed`), replaces that version when
the change is made and again once its transaction commits, in whichever process made it. An
entry carries the version read before its comments were read, so a render that raced a change
never serves what it read.
"""

import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import Comment
from .signals import comments_changed

KEY_PREFIX = "comment-list"
# Twice the entries' lifetime: a version must outlive every entry made under the one before.
TIMEOUT = 24 * 60 * 60


class CommentList(TypedDict):
    """One page of threads as every reader sees it: the list's HTML and what its links need."""

    version: str | None
    number: int  # the page of threads shown
    top_level: int  # top-level comments on the whole page, for the page links
    total: int  # approved comments on the whole page, replies included
    html: str


def _version_key(page_id: int) -> str:
    return f"{KEY_PREFIX}:version:{page_id}"


def _entry_key(page_id: int, number: int, replies_open: bool) -> str:
    # The settings the list is rendered with are part of the key: a deploy may change them.
    shown_with = (
        f"{settings.COMMENTS_PER_PAGE}:{settings.COMMENTS_ORDER}:{settings.COMMENTS_MAX_DEPTH}:"
        f"{settings.TIME_ZONE}:{'open' if replies_open else 'closed'}"
    )
    return f"{KEY_PREFIX}:{page_id}:{number}:{shown_with}"


def cached_list(
    page_id: int, number: int, replies_open: bool, build: Callable[[], CommentList | None]
) -> CommentList | None:
    """The list of threads page `number`, from the cache or built by `build()` (None: no such
    page of threads, which is not kept)."""
    version_key, entry_key = _version_key(page_id), _entry_key(page_id, number, replies_open)
    found = cache.get_many([version_key, entry_key])
    version, entry = found.get(version_key), found.get(entry_key)
    if entry is not None and entry["version"] == version:
        return entry
    entry = build()
    if entry is not None:
        entry["version"] = version
        cache.set(entry_key, entry, TIMEOUT // 2)
    return entry


def forget_pages(page_ids: Iterable[int]) -> None:
    """Make the cached lists of these pages stale in every process."""
    cache.set_many({_version_key(pk): uuid.uuid4().hex for pk in set(page_ids)}, TIMEOUT)


def _forget_now_and_after_commit(page_ids: Iterable[int]) -> None:
    # Now, for reads in this transaction; again once it commits, for renders in other processes
    # that began in between and read the comments as they were before.
    page_ids = set(page_ids)
    forget_pages(page_ids)
    transaction.on_commit(lambda: forget_pages(page_ids))


def _comment_saved_or_deleted(sender: type, instance: Comment, **kwargs: Any) -> None:
    _forget_now_and_after_commit([instance.page_id])


def _comments_changed(sender: type, page_ids: Iterable[int], **kwargs: Any) -> None:
    _forget_now_and_after_commit(page_ids)


def connect_signals() -> None:
    uid = "comment-list-cache"
    post_save.connect(_comment_saved_or_deleted, sender=Comment, dispatch_uid=f"{uid}-saved")
    post_delete.connect(_comment_saved_or_deleted, sender=Comment, dispatch_uid=f"{uid}-deleted")
    comments_changed.connect(_comments_changed, dispatch_uid=f"{uid}-bulk")
