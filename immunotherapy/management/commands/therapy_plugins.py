from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wagtail.models import Page

from immunotherapy.orphans import find_orphaned_type, orphaned_types, purge_orphaned_pages
from immunotherapy.registry import registry


class Command(BaseCommand):
    help = (
        "List therapy plugins: installed, disabled and orphaned page types with page counts. "
        "--purge TYPE deletes the pages of an orphaned type (a dry run unless --yes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--purge",
            metavar="TYPE",
            help="An orphaned page type (app_label.model, or the app label) whose pages to delete.",
        )
        parser.add_argument(
            "--yes", action="store_true", help="Really delete (without it, --purge only counts)."
        )

    def handle(self, *args: Any, purge: str | None, yes: bool, **options: Any) -> None:
        if purge is not None:
            self._purge(purge, yes)
            return
        self.stdout.write("installed:")
        for therapy_type in registry:
            model = therapy_type.page_model
            count = Page.objects.type(model).count()
            self.stdout.write(
                f"  {therapy_type.slug:<28} {model._meta.label:<44} {count} page(s)"  # type: ignore[union-attr]
                f"  [{therapy_type.plugin} {therapy_type.version}]"
            )
        disabled = getattr(settings, "IMMUNOTHERAPY_DISABLED_PLUGINS", [])
        self.stdout.write("disabled: " + (", ".join(disabled) if disabled else "none"))
        orphans = orphaned_types()
        self.stdout.write(
            "orphaned (plugin disabled or not installed):" + ("" if orphans else " none")
        )
        for orphan in orphans:
            self.stdout.write(
                f"  {orphan.name:<73} {orphan.page_count} page(s)  [plugin {orphan.plugin.state}]"
            )
        if orphans:
            self.stdout.write(
                "Delete an orphaned type's pages with: manage.py therapy_plugins --purge TYPE --yes"
            )

    def _purge(self, name: str, yes: bool) -> None:
        orphan = find_orphaned_type(name)
        if orphan is None:
            known = ", ".join(o.name for o in orphaned_types()) or "none"
            raise CommandError(
                f"{name!r} is not an orphaned page type with pages (orphaned types: {known})"
            )
        if not yes:
            self.stdout.write(
                f"dry run: would delete {orphan.page_count} page(s) of {orphan.name}"
                " (with their subpages and revisions); add --yes to delete them."
            )
            return
        deleted = purge_orphaned_pages(orphan)
        self.stdout.write(self.style.SUCCESS(f"deleted {deleted} page(s) of {orphan.name}"))
