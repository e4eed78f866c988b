from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wagtail.models import Site

from home.demo import DEFAULT_DATA_FILE, DemoDataError, load_demo_content
from site_config.params import optional_int


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
        parser.add_argument(
            "--site",
            metavar="HOST:PORT",
            help="Where the site is served, e.g. 127.0.0.1:8000: the default site gets this "
            "hostname and port, so page URLs in the API, feeds and sitemap point there.",
        )

    def handle(self, *args: Any, data: Path, site: str | None, **options: Any) -> None:
        hostname, _, port_text = (site or "").rpartition(":")
        port = optional_int(port_text, maximum=65535)
        if site is not None and not (hostname and port):
            raise CommandError(f"--site must be HOST:PORT, such as 127.0.0.1:8000 (got {site!r})")
        try:
            report = load_demo_content(data)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        default_site = Site.objects.get(is_default_site=True)
        if site is not None and (default_site.hostname, default_site.port) != (hostname, port):
            default_site.hostname, default_site.port = hostname, port
            default_site.save()
            self.stdout.write(f"default site is now {default_site.root_url}")
        for url_path in report.created:
            self.stdout.write(f"created {url_path}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content loaded: {len(report.created)} page(s) created, "
                f"{len(report.existing)} already present."
            )
        )
