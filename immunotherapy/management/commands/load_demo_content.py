from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from immunotherapy.demo import DEFAULT_DATA_FILE, DemoDataError, load_demo_content


class Command(BaseCommand):
    help = (
        "Create the demo page tree and the seed article. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data",
            type=Path,
            default=DEFAULT_DATA_FILE,
            help="Path to the demo data JSON file (default: the one shipped with the app).",
        )

    def handle(self, *args: Any, data: Path, **options: Any) -> None:
        try:
            report = load_demo_content(data)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        for url_path in report.created:
            self.stdout.write(f"created {url_path}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content loaded: {len(report.created)} page(s) created, "
                f"{len(report.existing)} already present."
            )
        )
