"""Pages whose plugin is disabled or uninstalled ("orphaned" pages): kept out of every public
surface, explained in the admin, and deletable.

Such a page's content type has no model class any more. Wagtail then answers with a plain
`Page`, whose edit view raises `PageClassNotFoundError` and whose deletion leaves the plugin's
own table row pointing at it (an IntegrityError): this module covers both.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin

from wagtail.api.v3.routers import pages as v3_pages
from wagtail.models import Page

from immunotherapy.plugins import disabled_plugin_apps

# Page views of Wagtail's admin (namespace wagtailadmin_pages) that work without the page's
# model class; every other view taking a page id needs it and would answer 500.
VIEWS_WITHOUT_MODEL = {
    "delete",
    "history",
    "history_results",
    "unpublish",
    "lock",
    "unlock",
    "usage",
    "set_privacy",
    "workflow_history",
}
PAGE_ID_KWARGS = ("page_id", "page_to_move_id", "parent_page_id")


@functools.cache
def orphaned_content_type_ids() -> frozenset[int]:
    """Content types whose model is not installed. Read once per process: enabling or disabling
    a plugin takes a restart, and a content type created later always has its model."""
    return frozenset(ct.pk for ct in ContentType.objects.all() if ct.model_class() is None)


def is_orphaned(page: Page) -> bool:
    return page.content_type_id in orphaned_content_type_ids()


@functools.cache
def _disabled_plugin_names() -> dict[str, str]:
    """App label → verbose name of each installed plugin that IMMUNOTHERAPY_DISABLED_PLUGINS
    turns off. Its app config is imported for its names; its models are not."""
    names = {}
    for app_path in disabled_plugin_apps(
        settings.IMMUNOTHERAPY_PLUGINS,
        settings.IMMUNOTHERAPY_DISABLED_PLUGINS,
        use_entry_points=settings.IMMUNOTHERAPY_ENTRY_POINTS,
    ):
        try:
            config = AppConfig.create(app_path)
        except (ImportError, ImproperlyConfigured):  # then it reads as not installed
            continue
        names[config.label] = str(config.verbose_name)
    return names


@dataclass(frozen=True)
class AbsentPlugin:
    """The plugin of an orphaned page type: disabled, or not installed at all."""

    name: str
    disabled: bool  # installed but turned off by IMMUNOTHERAPY_DISABLED_PLUGINS

    @property
    def state(self) -> str:
        return "disabled" if self.disabled else "not installed"

    @property
    def fix(self) -> str:
        """What brings its pages back."""
        return "Enable" if self.disabled else "Install"


def plugin_of(content_type: ContentType) -> AbsentPlugin:
    """The plugin of an orphaned type: its verbose name if it is installed but disabled, else
    its app label in words."""
    disabled = _disabled_plugin_names()
    if content_type.app_label in disabled:
        return AbsentPlugin(disabled[content_type.app_label], disabled=True)
    return AbsentPlugin(content_type.app_label.replace("_", " ").capitalize(), disabled=False)


@dataclass(frozen=True)
class OrphanedType:
    """A page type left in the database by a disabled or uninstalled plugin."""

    content_type: ContentType
    page_count: int

    @property
    def name(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model}"

    @property
    def plugin(self) -> AbsentPlugin:
        return plugin_of(self.content_type)


def orphaned_types() -> list[OrphanedType]:
    """Every orphaned page type that still has pages, with its page count."""
    found = []
    for ct in ContentType.objects.filter(pk__in=orphaned_content_type_ids()).order_by(
        "app_label", "model"
    ):
        count = Page.objects.filter(content_type=ct).count()
        if count:
            found.append(OrphanedType(ct, count))
    return found


def find_orphaned_type(name: str) -> OrphanedType | None:
    """The orphaned type named `app_label.model` (case-insensitive) or by its app label alone."""
    wanted = name.lower()
    for orphan in orphaned_types():
        if wanted in (orphan.name, orphan.content_type.app_label):
            return orphan
    return None


@transaction.atomic
def purge_orphaned_pages(orphan: OrphanedType) -> int:
    """Delete every page of an orphaned type (with its revisions); the number deleted."""
    pages = Page.objects.filter(content_type=orphan.content_type).order_by("-depth")
    deleted = 0
    for page in pages:
        # A page may already be gone with an ancestor deleted earlier in this loop.
        fresh = Page.objects.filter(pk=page.pk).first()
        if fresh is not None:
            deleted += 1 + fresh.get_descendants().count()
            fresh.delete()
    return deleted


def _plugin_rows(app_label: str) -> list[tuple[str, str, str]]:
    """(table, column, referenced table) for each foreign key in the plugin's leftover tables."""
    installed = set(connection.introspection.django_table_names(only_existing=True))
    with connection.cursor() as cursor:
        # Only tables no installed model owns: "car_" must not reach the car_t plugin's tables.
        tables = [
            t
            for t in connection.introspection.table_names(cursor)
            if t.startswith(f"{app_label}_") and t not in installed
        ]
        return [
            (table, column, target)
            for table in tables
            for column, (_, target) in connection.introspection.get_relations(cursor, table).items()
        ]


@receiver(pre_delete, sender=Page)
def delete_plugin_rows(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    """Before an orphaned page is deleted, delete its rows in the plugin's leftover tables
    (Django does not know those tables, so it cannot cascade to them)."""
    if not is_orphaned(instance):
        return
    app_label = ContentType.objects.get_for_id(instance.content_type_id).app_label
    relations = _plugin_rows(app_label)
    page_table = Page._meta.db_table
    # Rows pointing at another plugin table (its inline children) go first, then the page row.
    relations.sort(key=lambda relation: relation[2] == page_table)
    with connection.cursor() as cursor:
        for table, column, _target in relations:
            quote = connection.ops.quote_name
            cursor.execute(
                f"DELETE FROM {quote(table)} WHERE {quote(column)} = %s",  # noqa: S608
                [instance.pk],
            )


class OrphanedPageAdminMiddleware(MiddlewareMixin):
    """In the admin, a page view that needs the page's model explains that its plugin is
    disabled or not installed (and how to delete the page) instead of failing.

    Wagtail's EditView.dispatch raises PageClassNotFoundError (wagtail/admin/views/pages/edit.py,
    Wagtail 8.0) and the move and copy views fail on the missing class, before any hook runs.
    """

    def process_view(
        self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        match = request.resolver_match
        if (
            match is None
            or "wagtailadmin_pages" not in match.namespaces
            or match.url_name in VIEWS_WITHOUT_MODEL
        ):
            return None
        page_id = next((kwargs[key] for key in PAGE_ID_KWARGS if key in kwargs), None)
        page = Page.objects.filter(pk=page_id).first() if page_id is not None else None
        if page is None or not is_orphaned(page):
            return None
        plugin = plugin_of(ContentType.objects.get_for_id(page.content_type_id))
        messages.warning(
            request,
            f"“{page.get_admin_display_title()}” is a page of the {plugin.name} plugin, which is"
            f" {plugin.state}, so it cannot be edited, moved or copied. {plugin.fix} the plugin"
            " again to edit it, or delete it (its history is still available).",
        )
        parent = page.get_parent()
        return redirect(reverse("wagtailadmin_explore", args=[parent.pk if parent else page.pk]))


def exclude_orphans_from_api_v3() -> None:
    """Leave pages of a disabled or uninstalled plugin out of API v3, as out of API v2.

    Wagtail 8.0's API v3 page endpoints (wagtail/api/v3/routers/pages.py) take every page
    listing and lookup from `get_pages_queryset` (wagtail/api/v3/querysets.py) and offer no
    hook to narrow it, so the router module's reference is wrapped, once, here.
    """

    original = v3_pages.get_pages_queryset
    if getattr(original, "excludes_orphans", False):
        return

    def get_pages_queryset(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        queryset = original(request, *args, **kwargs)
        return queryset.exclude(content_type_id__in=orphaned_content_type_ids())

    get_pages_queryset.excludes_orphans = True  # type: ignore[attr-defined]
    v3_pages.get_pages_queryset = get_pages_queryset


def orphans_are_not_previewable() -> None:
    """An orphaned page answers False to `is_previewable` instead of failing.

    Wagtail 8.0's `Page.is_previewable` (wagtail/models/pages.py) reads the preview modes of the
    page's `specific_class`, which is None for a page without its model. The admin asks it
    before any hook runs: in a page's history for each revision an editor saved, and in the
    explorer's buttons of a page with a draft. So `Page`'s method is wrapped, once, here.
    """

    original = Page.is_previewable
    if getattr(original, "handles_orphans", False):
        return

    def is_previewable(self: Page) -> bool:
        return self.specific_class is not None and original(self)

    is_previewable.handles_orphans = True  # type: ignore[attr-defined]
    Page.is_previewable = is_previewable
