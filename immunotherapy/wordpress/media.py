"""WordPress attachments as Wagtail images and documents, read from a copy of the uploads."""

import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from django.core.files import File
from django.core.files.images import ImageFile
from django.core.files.storage import Storage

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.utils import get_allowed_image_extensions

from .records import Records
from .report import ImportReport
from .wxr import WXRItem

UPLOADS = "wp-content/uploads/"
# WordPress's resized copies ("photo-300x200.jpg") and big-image originals ("photo-scaled.jpg").
_SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.[^.]+$)")


def upload_path(url: str) -> str:
    """The file's path under `wp-content/uploads/`, e.g. "2024/05/photo.jpg", or "" if none."""
    path = unquote(urlparse(url).path)
    return path.split(UPLOADS, 1)[1] if UPLOADS in path else ""


def _lookup_key(url: str) -> str:
    return _SIZE_SUFFIX.sub("", upload_path(url)).lower()


class MediaLibrary:
    """The export's attachments: imported from `media_dir`, then found by id or URL for pages."""

    def __init__(self, *, records: Records, report: ImportReport, media_dir: Path | None) -> None:
        self.records, self.report, self.media_dir = records, report, media_dir
        self.by_id: dict[int, Any] = {}
        self.by_url: dict[str, int] = {}
        self.attached: dict[int, list[int]] = {}
        self.written: list[tuple[Storage, str]] = []  # files stored, removed again after a dry run

    def import_attachment(self, item: WXRItem) -> None:
        where = f"attachment {item.id} ({upload_path(item.attachment_url) or item.attachment_url})"
        existing = self.records.get("attachment", item.id)
        if existing is not None:
            self._remember(item, existing)
            self.report.add("media", "skipped")
            return
        relative = upload_path(item.attachment_url)
        path = (self.media_dir / relative) if (self.media_dir and relative) else None
        if path is None or not path.is_file():
            reason = (
                "no --media-dir given"
                if self.media_dir is None
                else f"{relative} not found in the media folder"
            )
            self.report.note(
                where, f"file missing ({reason}): not imported; pages using it import without it"
            )
            self.report.add("media", "skipped")
            return
        title = item.title or PurePosixPath(relative).stem
        extension = path.suffix.lower().lstrip(".")
        with path.open("rb") as handle:
            if extension in get_allowed_image_extensions():
                alt = item.meta.get("_wp_attachment_image_alt", "").strip()
                obj = get_image_model()(
                    title=title, description=alt, file=ImageFile(handle, name=path.name)
                )
            else:
                obj = get_document_model()(title=title, file=File(handle, name=path.name))
            obj.save()
        self.written.append((obj.file.storage, obj.file.name))
        self.records.add("attachment", item.id, obj, modified=item.modified)
        self._remember(item, obj)
        self.report.add("media", "created")

    def _remember(self, item: WXRItem, obj: Any) -> None:
        self.by_id[item.id] = obj
        self.by_url[_lookup_key(item.attachment_url)] = item.id
        guid_key = _lookup_key(item.guid)
        if guid_key:
            self.by_url.setdefault(guid_key, item.id)
        if item.parent and _is_image(obj):
            self.attached.setdefault(item.parent, []).append(item.id)

    def _by_url(self, url: str) -> Any:
        key = _lookup_key(url)
        wp_id = self.by_url.get(key) if key else None
        return self.by_id.get(wp_id) if wp_id is not None else None

    # The converter's questions (content.Media).
    def image(self, *, wp_id: int | None = None, url: str = "") -> Any:
        obj = self.by_id.get(wp_id) if wp_id is not None else self._by_url(url)
        return obj if _is_image(obj) else None

    def document(self, url: str) -> Any:
        obj = self._by_url(url)
        return obj if obj is not None and not _is_image(obj) else None

    def attached_images(self, post_id: int) -> list[int]:
        return self.attached.get(post_id, [])

    def remove_written_files(self) -> None:
        for storage, name in self.written:
            storage.delete(name)
        self.written.clear()


def _is_image(obj: Any) -> bool:
    return obj is not None and isinstance(obj, get_image_model())
