"""`manage.py rebuild_page_json`: build the stored API JSON of every live page again."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wagtail.models import Page

from tqdm import tqdm

from immunotherapy.api import store
from immunotherapy.api.http_cache import bump_content_version
from immunotherapy.api.models import StoredPage
from site_config.params import InvalidNumber, parse_int

BATCH = 100


class Command(BaseCommand):
    help = (
        "Build the stored API v2 JSON of every live page (or of the pages given), for instance "
        "after changing api_fields, a setting the API shows, or loading pages in bulk."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("page_ids", nargs="*", help="only these pages (ids)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, page_ids: list[str], no_progress: bool, **options: Any) -> None:
        pages = Page.objects.live().order_by("path")
        if page_ids:
            try:
                wanted = [parse_int(pk, name="page id", minimum=1) for pk in page_ids]
            except InvalidNumber as exc:
                raise CommandError(f"{exc}, not {' '.join(page_ids)!r}") from None
            known = Page.objects.filter(pk__in=wanted).values_list("pk", flat=True)
            unknown = set(wanted) - set(known)
            if unknown:
                raise CommandError(f"no page with id {', '.join(map(str, sorted(unknown)))}")
            pages = pages.filter(pk__in=wanted)
        else:
            StoredPage.objects.exclude(page__live=True).delete()
        ids = list(pages.values_list("pk", flat=True))
        built = 0
        with tqdm(total=len(ids), unit="page", disable=no_progress, file=sys.stderr) as bar:
            for start in range(0, len(ids), BATCH):
                batch = ids[start : start + BATCH]
                built += len(store.rebuild(batch))
                bar.update(len(batch))
        bump_content_version()
        self.stdout.write(f"Built the API JSON of {built} live page(s).")
