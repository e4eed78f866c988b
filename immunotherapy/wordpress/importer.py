"""Running an import: check the whole file, bring in the media, then each post with its comments.

Each post (with its comments and redirects) is written in its own transaction: one that fails
leaves nothing behind and is listed in the report, and the others still import. A dry run does
everything inside one transaction that is rolled back, and deletes the files it stored, so its
report is exactly what the real import would do.
"""

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import IO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from wagtail.models import Page, Site

from immunotherapy.models import ArticleIndexPage, ArticlePage, StandardPage
from site_config.params import optional_int

from . import wxr
from .comments import import_comments
from .media import MediaLibrary
from .pages import KINDS, Authors, PageImporter
from .records import Records
from .report import ImportReport

Progress = Callable[[int, int], None]  # (items done, items in all)


class ImportRefused(Exception):
    """The import cannot start: a bad option or file. The message is one line for the user."""


class _DryRunRollback(Exception):
    pass


@dataclass
class _Census:
    site: wxr.WXRSite
    attachments: list[wxr.WXRItem]
    posts: int
    pages: int
    others: Counter[str]


def _open(source: Path | bytes) -> IO[bytes]:
    if isinstance(source, bytes):
        return io.BytesIO(source)
    try:
        return Path(source).open("rb")
    except OSError as exc:
        raise ImportRefused(f"cannot read {source}: {exc.strerror}") from None


def _items(source: Path | bytes) -> Iterator[wxr.WXRSite | wxr.WXRItem]:
    with _open(source) as handle:
        yield from wxr.parse(handle)


def census(source: Path | bytes) -> _Census:
    """Read the whole file once, writing nothing: any XML or format error is raised here."""
    events = _items(source)
    site = next(events)
    if not isinstance(site, wxr.WXRSite):
        raise TypeError("wxr.parse() yields the site first")
    attachments: list[wxr.WXRItem] = []
    posts, pages, others = 0, 0, Counter[str]()
    for item in events:
        if not isinstance(item, wxr.WXRItem):
            continue
        if item.post_type == "attachment":
            attachments.append(item)
        elif item.post_type == "post":
            posts += 1
        elif item.post_type == "page":
            pages += 1
        else:
            others[item.post_type] += 1
    return _Census(site, attachments, posts, pages, others)


def read_author_map(path: Path | None) -> dict[str, User]:
    """`wordpress_login,user` lines (user: a username or email address) as login -> user."""
    if path is None:
        return {}
    try:
        rows = list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
    except OSError as exc:
        raise ImportRefused(f"cannot read the author map {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ImportRefused(f"author map {path}: not UTF-8 text; save it as CSV UTF-8") from None
    except csv.Error as exc:
        raise ImportRefused(f"author map {path}: not a CSV file ({exc})") from None
    users: dict[str, User] = {}
    user_model = get_user_model()
    for number, row in enumerate(rows, 1):
        row = [cell.strip() for cell in row]
        if (
            not any(row)
            or row[0].startswith("#")
            or (number == 1 and row[0].lower() == "wordpress_login")
        ):
            continue
        if len(row) != 2 or not all(row):
            raise ImportRefused(
                f"author map {path}, line {number}: expected 'wordpress_login,user'"
            )
        user = user_model.objects.filter(
            Q(**{user_model.USERNAME_FIELD: row[1]}) | Q(email__iexact=row[1])
        ).first()
        if user is None:
            raise ImportRefused(
                f"author map {path}, line {number}: no user {row[1]!r} on this site"
            )
        users[row[0]] = user
    return users


def find_parent(path: str | None) -> Page:
    """The --parent page (a path such as /articles/, or a page id), else the article index."""
    if path is None:
        parent = ArticleIndexPage.objects.first()
        if parent is None:
            raise ImportRefused(
                "there is no article index page: create one, or name a parent with --parent"
            )
        return parent.specific
    page_id = optional_int(path.strip())
    if page_id is not None:
        parent = Page.objects.filter(pk=page_id).first()
    else:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise ImportRefused("there is no default site to find --parent in")
        relative = path.strip().strip("/")
        url_path = site.root_page.url_path + (f"{relative}/" if relative else "")
        parent = Page.objects.filter(url_path=url_path).first()
    if parent is None:
        raise ImportRefused(f"--parent {path}: no such page")
    return parent.specific


def _check_parent(parent: Page, found: _Census) -> None:
    for count, model, what in (
        (found.posts, ArticlePage, "posts"),
        (found.pages, StandardPage, "pages"),
    ):
        if count and not model.can_create_at(parent):
            raise ImportRefused(
                f"--parent {parent.url_path}: a {parent.specific_class._meta.verbose_name} cannot "
                f"hold {model._meta.verbose_name}s, which the export's {what} become"
            )


def run_import(
    source: Path | bytes,
    *,
    parent_path: str | None = None,
    media_dir: Path | None = None,
    author_map: Path | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a WXR export (a path, or its bytes); raises `ImportRefused` or `wxr.WXRError` before
    writing anything when the file or an option is wrong."""
    if media_dir is not None and not Path(media_dir).is_dir():
        raise ImportRefused(f"--media-dir {media_dir}: no such folder")
    found = census(source)
    parent = find_parent(parent_path)
    _check_parent(parent, found)
    users = read_author_map(author_map)
    report = ImportReport(dry_run=dry_run)
    records = Records(found.site.base_url)
    media = MediaLibrary(
        records=records, report=report, media_dir=Path(media_dir) if media_dir else None
    )
    importer = PageImporter(
        parent=parent,
        site=found.site,
        records=records,
        media=media,
        authors=Authors(users, found.site),
        report=report,
    )
    for post_type, count in sorted(found.others.items()):
        report.note("export", f"{count} item(s) of type {post_type!r}: not imported")
    total = len(found.attachments) + found.posts + found.pages
    state = {"done": 0}

    def step() -> None:
        state["done"] += 1
        if progress is not None:
            progress(state["done"], total)

    def work() -> None:
        for item in found.attachments:
            where = f"attachment {item.id}"
            try:
                with transaction.atomic():
                    media.import_attachment(item)
            except Exception as exc:
                report.fail(where, _one_line(exc))
                report.add("media", "failed")
            step()
        for entry in _items(source):
            if not isinstance(entry, wxr.WXRItem) or entry.post_type not in KINDS:
                continue
            _import_post(entry, importer, records, report)
            step()

    if not dry_run:
        work()  # each attachment and each post commits on its own
        return report
    try:
        with transaction.atomic():
            work()
            raise _DryRunRollback
    except _DryRunRollback:
        pass
    finally:
        media.remove_written_files()
    return report


def _import_post(
    item: wxr.WXRItem, importer: PageImporter, records: Records, report: ImportReport
) -> None:
    title = " ".join(unescape(item.title).split())[:60]
    where = f"{item.post_type} {item.id} “{title}” (line {item.line})"
    kind = KINDS[item.post_type]
    notes_before = len(report.notes)
    counts_before = {k: dict(v) for k, v in report.counts.items()}
    pingbacks_before = report.pingbacks_skipped
    try:
        with transaction.atomic():
            page = importer.import_item(item, where)
            if page is not None and item.comments:
                # Their pages' comment data is refreshed, and `pages_changed` sent, by the
                # comments service (comments_changed) once this post's transaction commits.
                import_comments(
                    page=page,
                    wp_comments=item.comments,
                    records=records,
                    report=report,
                    where=where,
                )
    except Exception as exc:
        del report.notes[notes_before:]
        report.counts.clear()
        for key, value in counts_before.items():
            report.counts[key].update(value)
        report.pingbacks_skipped = pingbacks_before
        report.fail(where, _one_line(exc))
        report.add(kind, "failed")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]
