"""Per-page invalidation: after a change commits, rebuild the stored JSON of exactly the pages
whose public output it changes, move the content version on, and send `pages_changed`.

Which pages a change shows on comes from Wagtail's reference index (`ReferenceIndex`): a
snippet, image, document or page is shown by the pages that reference it, directly or through
one object between (a snippet choosing an image). A publish rebuilds the page and the pages that
link to it; a move or slug change rebuilds the subtree (its URLs); unpublishing or deleting
removes the rows; a comment approved, unapproved or removed refreshes only that page's count;
a site setting rebuilds the pages of that site whose model declares it in `api_settings`.

Changes are gathered per transaction and handled once it commits, in the process that made
them; readers in every process see them through the database (`http_cache.py`).
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model, Q
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_migrate,
    pre_save,
)

from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.images.models import AbstractRendition
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site, get_page_models
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from comments.models import Comment
from comments.signals import comments_changed
from immunotherapy.api import store
from immunotherapy.api.http_cache import bump_content_version
from immunotherapy.api.models import StoredPage
from immunotherapy.signals import pages_changed

logger = logging.getLogger(__name__)

# Saving a page with only these fields changed (a draft revision, a lock) changes nothing public.
PRIVATE_PAGE_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "live_revision",
    }
)


class _Changes:
    """What one transaction changed: the pages to build again, and the pages each sender changed."""

    def __init__(self) -> None:
        self.rebuild: set[int] = set()
        self.remove: set[int] = set()
        self.senders: dict[type, set[int]] = defaultdict(set)
        self.done = False

    def waiting(self) -> bool:
        return any(entry[1] == self.flush for entry in connection.run_on_commit)

    def flush(self) -> None:
        """Build the changed pages' JSON again, once the change has committed."""
        if self.done:
            return
        self.done = True
        if _pending.get(connection.alias) is self:
            del _pending[connection.alias]
        rebuild = self.rebuild - self.remove
        try:
            store.rebuild(rebuild)
        except Exception:
            # The change itself stands; these pages' JSON is built when they are next read.
            logger.exception("building the API JSON of pages %s failed", sorted(rebuild))
        for sender, page_ids in self.senders.items():
            if page_ids:
                pages_changed.send(sender=sender, page_ids=frozenset(page_ids))


_pending: dict[str, _Changes] = {}
_migrating = False


def _set_migrating(value: bool) -> Callable[..., None]:
    def receiver(**_kwargs: Any) -> None:
        global _migrating
        _migrating = value

    return receiver


def _record(
    sender: type,
    *,
    rebuild: Iterable[int] = (),
    remove: Iterable[int] = (),
    comments: Iterable[int] = (),
    shown: Iterable[int] = (),
) -> None:
    """Note a change. At once, in its transaction: the affected rows are dropped (a read until
    the rebuild builds them from what it sees), comment counts refreshed, and the content
    version moved on. Once it commits: the rows are built again and `pages_changed` is sent.
    `shown`: pages whose stored JSON stays but whose public output may differ."""
    if _migrating:
        return  # the store's tables may not exist yet; reads build what is missing
    rebuild, remove, comments = set(rebuild), set(remove), set(comments)
    with transaction.atomic():
        StoredPage.objects.filter(page_id__in=rebuild | remove).delete()
        store.refresh_comments(comments - rebuild - remove)
        bump_content_version()
    changes = _pending.get(connection.alias)
    if changes is None or changes.done or not changes.waiting():
        changes = _Changes()
    changes.rebuild.update(rebuild)
    changes.remove.update(remove)
    changes.senders[sender].update({*rebuild, *remove, *comments, *shown})
    if not connection.in_atomic_block:
        changes.flush()
    else:
        # Registered at every change and run once: when a savepoint is rolled back, or a test
        # runs only the callbacks of one block, a registration from a later change still runs.
        _pending[connection.alias] = changes
        transaction.on_commit(changes.flush)


def _page_content_type_id() -> int:
    return ContentType.objects.get_for_model(Page).pk


def pages_showing(objects: Iterable[Model]) -> set[int]:
    """The pages that reference any of `objects`, directly or through one object between."""
    objects = [obj for obj in objects if obj.pk is not None]
    if not objects:
        return set()
    page_type = _page_content_type_id()
    references = ReferenceIndex.get_references_to_in_bulk(objects).values_list(
        "base_content_type_id", "object_id"
    )
    pages: set[int] = set()
    between: set[tuple[int, str]] = set()
    for content_type_id, object_id in references:
        if content_type_id == page_type:
            pages.add(int(object_id))
        else:
            between.add((content_type_id, object_id))
    if between:
        condition = Q()
        for content_type_id, object_id in between:
            condition |= Q(to_content_type_id=content_type_id, to_object_id=object_id)
        pages.update(
            int(object_id)
            for object_id in ReferenceIndex.objects.filter(
                condition, base_content_type_id=page_type
            ).values_list("object_id", flat=True)
        )
    return pages


def _pages(ids: Iterable[int]) -> list[Page]:
    return list(Page.objects.filter(pk__in=list(ids)).only("id"))


def _subtree(page: Page) -> set[int]:
    return set(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def _ancestors(page: Page) -> set[int]:
    """The pages above `page`: their HTML lists it (an index's cards, the home's latest
    articles), though their stored JSON does not change. A child of a site's root page is in
    every page's header menu or footer links: then every page of that site."""
    above = Page.objects.ancestor_of(page).filter(depth__gt=1)
    roots = set(Site.objects.values_list("root_page_id", flat=True))
    parent = above.order_by("-depth").first()
    if parent is not None and parent.pk in roots:
        return set(Page.objects.descendant_of(parent, inclusive=True).values_list("pk", flat=True))
    return set(above.values_list("pk", flat=True))


def page_published_or_saved(instance: Page, **_kwargs: Any) -> None:
    _record(
        type(instance),
        rebuild={instance.pk, *pages_showing([instance])},
        shown=_ancestors(instance),
    )


def _page_saved(sender: type, instance: Page, update_fields: Any = None, **_kwargs: Any) -> None:
    if not instance.live:
        return
    if update_fields is not None and set(update_fields) <= PRIVATE_PAGE_FIELDS:
        return
    page_published_or_saved(instance)


def _page_unpublished(instance: Page, **_kwargs: Any) -> None:
    _record(
        type(instance),
        remove={instance.pk},
        rebuild=pages_showing([instance]),
        shown=_ancestors(instance),
    )


def _page_deleted(sender: type, instance: Page, **_kwargs: Any) -> None:
    # Sent for the base row of every deleted page, whatever its type.
    _record(
        type(instance),
        remove={instance.pk},
        rebuild=pages_showing([instance]),
        shown=_ancestors(instance),
    )


def _subtree_moved(instance: Page, parent_page_before: Page | None = None, **_kwargs: Any) -> None:
    subtree = _subtree(instance)
    shown = _ancestors(instance)
    if parent_page_before is not None:  # the old parent no longer lists it
        shown.add(parent_page_before.pk)
    _record(type(instance), rebuild=subtree | pages_showing(_pages(subtree)), shown=shown)


def _restriction_changed(sender: type, instance: PageViewRestriction, **_kwargs: Any) -> None:
    # Nothing stored changes (visibility is decided per request), but what readers see does.
    page = Page.objects.filter(pk=instance.page_id).first()
    _record(sender, shown=_subtree(page) if page else ())


def _site_changed(sender: type, instance: Site, **_kwargs: Any) -> None:
    # `html_url` comes from the Site records: every page of the site is rebuilt. Wagtail keeps
    # the Site records' root paths in the cache and forgets them in its own receiver of this
    # signal, which may run after this one, while the rebuild runs at once outside a
    # transaction: forget them first (`Site.clear_site_root_paths_cache`, Wagtail 8.0.1).
    Site.clear_site_root_paths_cache()
    root = Page.objects.filter(pk=instance.root_page_id).first()
    _record(sender, rebuild=_subtree(root) if root else set())


def _setting_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("created") and _is_default(instance):
        return  # `for_site()` creating the row on first read: what readers see is the same
    # Templates may show any setting on any page (the footer's disclaimer, the review banner):
    # every page of the site shows it in HTML; the stored JSON of those declaring it changes.
    pages = Page.objects.live()
    site_id = getattr(instance, "site_id", None)
    if site_id is not None:
        site = Site.objects.filter(pk=site_id).select_related("root_page").first()
        pages = pages.descendant_of(site.root_page, inclusive=True) if site else pages.none()
    models = [m for m in _page_models() if sender._meta.label in getattr(m, "api_settings", ())]
    rebuild = set(pages.type(*models).values_list("pk", flat=True)) if models else set()
    _record(sender, rebuild=rebuild, shown=set(pages.values_list("pk", flat=True)))


def _is_default(instance: Model) -> bool:
    fresh = type(instance)()
    return all(
        getattr(instance, f.attname) == getattr(fresh, f.attname)
        for f in instance._meta.concrete_fields
        if not (f.primary_key or f.is_relation)
    )


def _page_models() -> list[type[Page]]:
    return get_page_models()


def _comment_status_before(sender: type, instance: Comment, **_kwargs: Any) -> None:
    # Noted on the instance for `_comment_changed`, which post_save and post_delete call.
    instance._status_before = (  # type: ignore[attr-defined]
        Comment.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        if instance.pk
        else None
    )


def _comment_changed(sender: type, instance: Comment, **kwargs: Any) -> None:
    approved = Comment.Status.APPROVED
    before = getattr(instance, "_status_before", None)
    deleted = kwargs.get("signal") is post_delete
    if instance.status == approved or before == approved or (deleted and before is None):
        _record(sender, comments={instance.page_id})


def _comments_changed(sender: type, page_ids: Iterable[int], **_kwargs: Any) -> None:
    _record(sender, comments=set(page_ids))


def _object_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """A snippet, image, document or other content object: rebuild the pages showing it."""
    if issubclass(sender, BaseSiteSetting | BaseGenericSetting):
        _setting_changed(sender, instance, **kwargs)
        return
    if isinstance(instance, AbstractRendition):
        if kwargs.get("signal") is post_delete:  # made while reading; gone, its URL changes
            _record(sender, rebuild=pages_showing([instance.image]))
        return
    _record(sender, rebuild=pages_showing([instance]))


def _shows_in_pages(model: type[Model]) -> bool:
    """Whether a change to `model` can change what pages show (then `_object_changed` hears it)."""
    if issubclass(model, AbstractRendition | BaseSiteSetting | BaseGenericSetting):
        return True
    if issubclass(model, Page | Comment) or model._meta.app_label == "wagtailcore":
        return False  # pages and comments have their own signals; revisions and logs show nothing
    return model._meta.app_label in settings.API_CACHE_INVALIDATING_APPS


def connect_signals() -> None:
    uid = "immunotherapy-api"
    page_published.connect(page_published_or_saved, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(_page_unpublished, dispatch_uid=f"{uid}-unpublished")
    post_page_move.connect(_subtree_moved, dispatch_uid=f"{uid}-moved")
    page_slug_changed.connect(_subtree_moved, dispatch_uid=f"{uid}-slug")
    for model in _page_models():  # post_save names the specific class of a page
        post_save.connect(_page_saved, sender=model, dispatch_uid=f"{uid}-page-saved")
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid=f"{uid}-page-deleted")
    m2m_changed.connect(
        _restriction_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid=f"{uid}-restriction-groups",
    )
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"{uid}-restriction-{name}",
        )
        signal.connect(_site_changed, sender=Site, dispatch_uid=f"{uid}-site-{name}")
        for model in filter(_shows_in_pages, apps.get_models()):
            signal.connect(_object_changed, sender=model, dispatch_uid=f"{uid}-{name}")
        signal.connect(_comment_changed, sender=Comment, dispatch_uid=f"{uid}-comment-{name}")
    pre_save.connect(_comment_status_before, sender=Comment, dispatch_uid=f"{uid}-comment-pre")
    comments_changed.connect(_comments_changed, dispatch_uid=f"{uid}-comments")
    pre_migrate.connect(_set_migrating(True), weak=False, dispatch_uid=f"{uid}-pre-migrate")
    post_migrate.connect(_set_migrating(False), weak=False, dispatch_uid=f"{uid}-post-migrate")
