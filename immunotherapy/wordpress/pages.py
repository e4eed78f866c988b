"""WordPress posts as articles and WordPress pages as standard pages, with their status, view
restrictions, tags, review dates and redirects from their old addresses."""

from dataclasses import dataclass
from datetime import date
from html import unescape
from urllib.parse import unquote, urlparse

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.text import slugify

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction

from immunotherapy.models import ArticlePage, StandardPage
from site_config.params import optional_int

from .content import convert
from .media import MediaLibrary
from .records import Records
from .report import ImportReport
from .wxr import WXRItem, WXRSite

MODELS: dict[str, type[Page]] = {"post": ArticlePage, "page": StandardPage}
KINDS = {"post": "posts", "page": "pages"}
LIVE_STATUSES = frozenset({"publish", "private", "future"})
DRAFT_STATUSES = frozenset({"draft", "pending"})


@dataclass
class Authors:
    """WordPress logins mapped to users of this site (the --author-map file)."""

    users: dict[str, User]
    site: WXRSite

    def owner(self, login: str) -> User | None:
        return self.users.get(login)

    def display_name(self, login: str) -> str:
        user = self.users.get(login)
        if user is not None and user.get_full_name():
            return user.get_full_name()
        author = self.site.authors.get(login)
        return (author.display_name if author else "") or login


class PageImporter:
    def __init__(
        self,
        *,
        parent: Page,
        site: WXRSite,
        records: Records,
        media: MediaLibrary,
        authors: Authors,
        report: ImportReport,
    ) -> None:
        self.parent, self.site, self.records = parent, site, records
        self.media, self.authors, self.report = media, authors, report
        self.redirect_site = parent.get_site()

    def import_item(self, item: WXRItem, where: str) -> Page | None:
        """Create, update or leave the page for `item`; returns the page comments go under."""
        kind = KINDS[item.post_type]
        record = self.records.record(item.post_type, item.id)
        if record is not None:
            page = record.imported_object
            if page is None:
                self.report.note(where, "deleted in Wagtail since it was imported: not re-created")
                self.report.add(kind, "skipped")
                return None
            if record.wp_modified == item.modified:
                self.report.add(kind, "skipped")
            elif page.latest_revision_id != record.revision_id:
                self.report.note(
                    where,
                    "changed in WordPress, but edited in Wagtail since the import: left as it is",
                )
                self.report.add(kind, "skipped")
            else:
                self._write(item, page, where)
                self.report.add(kind, "updated")
            self._redirects(item, page, where)
            return page
        if item.status not in LIVE_STATUSES | DRAFT_STATUSES:
            self.report.note(where, f"status {item.status!r}: not imported")
            self.report.add(kind, "skipped")
            return None
        page = MODELS[item.post_type](title="", slug="")
        self._write(item, page, where)
        self.report.add(kind, "created")
        self._redirects(item, page, where)
        return page

    def _fields(self, item: WXRItem, page: Page, where: str) -> None:
        featured = None
        thumbnail = optional_int(item.meta.get("_thumbnail_id", "").strip())
        if thumbnail is not None:
            featured = self.media.image(wp_id=thumbnail)
        converted = convert(
            item.content,
            media=self.media,
            post_id=item.id,
            excerpt=item.excerpt,
            featured_image=featured if isinstance(page, ArticlePage) else None,
        )
        for message in converted.notes:
            self.report.note(where, message)
        page.title = unescape(item.title) or f"Untitled ({item.post_type} {item.id})"
        page.intro = converted.intro
        page.body = converted.body
        page.comments_open = item.comment_status == "open"
        owner = self.authors.owner(item.creator)
        if owner is None and item.creator:
            self.report.unmapped_authors.add(item.creator)
        page.owner = owner
        if isinstance(page, ArticlePage):
            page.author = self.authors.display_name(item.creator) if item.creator else ""
            page.publication_date = item.date.date() if item.date else None
            # Imported text has not been through medical review: it is due now.
            page.last_reviewed = None
            page.next_review_due = date.today()
            names = sorted(
                {
                    unescape(name)[:100]
                    for domain, _slug, name in item.categories
                    if name and domain in ("category", "post_tag")
                }
            )
            page.tags.set(names)
            if not page.intro:
                page.intro = page.title

    def _write(self, item: WXRItem, page: Page, where: str) -> None:
        self._fields(item, page, where)
        go_live = item.date if item.status == "future" and item.date else None
        if page.pk is None:
            page.slug = self._free_slug(item, where)
            page.live = False
            page.first_published_at = item.date if item.status in ("publish", "private") else None
            self.parent.add_child(instance=page)
        self._restrict(item, page)
        page.go_live_at = go_live
        revision = page.save_revision(user=page.owner, clean=False, log_action=True)
        if item.status in LIVE_STATUSES:
            # A future date makes Wagtail schedule the revision (approved_go_live_at) instead.
            revision.publish(user=page.owner, skip_permission_checks=True)
            if go_live and go_live <= timezone.now():
                self.report.note(where, "scheduled for a time now past: published")
        elif page.live:
            page.unpublish(user=page.owner, log_action=True)
        page.refresh_from_db()  # publishing worked on a copy made from the revision
        if item.status == "pending":
            self.report.note(where, "pending review in WordPress: saved as a draft")
        self.records.add(item.post_type, item.id, page, modified=item.modified, revision=revision)

    def _restrict(self, item: WXRItem, page: Page) -> None:
        """Private posts need a login, password-protected ones their password; set before the
        page is published, so it is never public for a moment."""
        if item.status == "private":
            restriction, password = PageViewRestriction.LOGIN, ""
        elif item.password:
            restriction, password = PageViewRestriction.PASSWORD, item.password
        else:
            return
        PageViewRestriction.objects.update_or_create(
            page=page, defaults={"restriction_type": restriction, "password": password}
        )

    def _free_slug(self, item: WXRItem, where: str) -> str:
        slug = slugify(unquote(item.slug), allow_unicode=True) or slugify(
            unescape(item.title), allow_unicode=True
        )
        slug = (slug or f"{item.post_type}-{item.id}")[:240]
        taken = set(
            self.parent.get_children().filter(slug__startswith=slug).values_list("slug", flat=True)
        )
        if slug not in taken:
            return slug
        number = 2
        while f"{slug}-{number}" in taken:
            number += 1
        self.report.note(
            where,
            f"the address {slug!r} is taken under {self.parent.title!r}: "
            f"imported as {slug}-{number}",
        )
        return f"{slug}-{number}"

    def _redirects(self, item: WXRItem, page: Page, where: str) -> None:
        """Permanent redirects from the old permalink and /?p=ID (/?page_id=ID for pages)."""
        if not page.live:
            return
        old_paths = [urlparse(item.link).path or "/"] if item.link else []
        if urlparse(item.link).query:
            old_paths[0] += "?" + urlparse(item.link).query
        blog_path = urlparse(self.site.base_url).path.rstrip("/")
        old_paths.append(f"{blog_path}/?p={item.id}")
        if item.post_type == "page":
            old_paths.append(f"{blog_path}/?page_id={item.id}")
        new_path = Redirect.normalise_path(
            page.get_url_parts()[2] if page.get_url_parts() else page.url_path
        )
        for old in dict.fromkeys(Redirect.normalise_path(path) for path in old_paths):
            if old == new_path or old == "/":
                continue
            existing = Redirect.objects.filter(old_path=old, site=self.redirect_site).first()
            if existing is None:
                Redirect.objects.create(
                    old_path=old, site=self.redirect_site, redirect_page=page, is_permanent=True
                )
                self.report.add("redirects", "created")
            else:
                if existing.redirect_page_id != page.pk:
                    self.report.note(where, f"{old} already redirects elsewhere: left as it is")
                self.report.add("redirects", "skipped")
