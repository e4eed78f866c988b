"""`manage.py import_wordpress EXPORT.xml`: move a WordPress site's content in."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tqdm import tqdm

from immunotherapy.wordpress.importer import ImportRefused, run_import
from immunotherapy.wordpress.wxr import WXRError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.1 or 1.2): posts as articles, pages, media, threaded "
        "comments and redirects from the old addresses. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("export", type=Path, help="The .xml file from Tools → Export.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Write nothing; print what would be done."
        )
        parser.add_argument(
            "--parent",
            help="Path (e.g. /articles/) or id of the page to import under; "
            "default: the article index.",
        )
        parser.add_argument(
            "--media-dir", type=Path, help="A copy of the site's wp-content/uploads folder."
        )
        parser.add_argument(
            "--author-map", type=Path, help="CSV of wordpress_login,user (username or email)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        export: Path = options["export"]
        bars: list[tqdm] = []

        def progress(done: int, total: int) -> None:
            if not bars:  # made at the first item, when the total is known
                quiet = options["verbosity"] < 1
                bars.append(tqdm(total=total, unit="item", file=sys.stderr, disable=quiet))
            bars[0].update(done - bars[0].n)

        try:
            report = run_import(
                export,
                parent_path=options["parent"],
                media_dir=options["media_dir"],
                author_map=options["author_map"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        except WXRError as exc:
            raise CommandError(f"{export}: {exc}") from None
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        finally:
            for bar in bars:
                bar.close()
        self.stdout.write(report.text())
        if report.failures:
            raise CommandError(f"{len(report.failures)} item(s) failed: see the report above")
