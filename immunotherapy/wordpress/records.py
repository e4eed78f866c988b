"""The importer's memory of which WordPress object became which of ours (`WordPressImported`)."""

from typing import Any

from django.contrib.contenttypes.models import ContentType

from immunotherapy.models import WordPressImported


class Records:
    """Look-ups and new entries for one source site."""

    def __init__(self, source: str) -> None:
        self.source = source

    def get(self, kind: str, wp_id: int) -> Any:
        """The object `wp_id` was imported as, or None (also when it has since been deleted)."""
        record = self.record(kind, wp_id)
        return record.imported_object if record is not None else None

    def record(self, kind: str, wp_id: int) -> WordPressImported | None:
        return WordPressImported.objects.filter(source=self.source, kind=kind, wp_id=wp_id).first()

    def object_ids(self, kind: str, wp_ids: list[int]) -> dict[int, int]:
        """wp_id -> our object's id, for those of `wp_ids` already imported, in one query."""
        return dict(
            WordPressImported.objects.filter(
                source=self.source, kind=kind, wp_id__in=wp_ids
            ).values_list("wp_id", "object_id")
        )

    def add(
        self, kind: str, wp_id: int, obj: Any, *, modified: str = "", revision: Any = None
    ) -> None:
        WordPressImported.objects.update_or_create(
            source=self.source,
            kind=kind,
            wp_id=wp_id,
            defaults={
                "content_type": ContentType.objects.get_for_model(obj),
                "object_id": obj.pk,
                "wp_modified": modified,
                "revision": revision,
            },
        )

    def add_many(self, kind: str, pairs: list[tuple[int, Any]]) -> None:
        if not pairs:
            return
        content_type = ContentType.objects.get_for_model(pairs[0][1])
        WordPressImported.objects.bulk_create(
            [
                WordPressImported(
                    source=self.source,
                    kind=kind,
                    wp_id=wp_id,
                    content_type=content_type,
                    object_id=obj.pk,
                )
                for wp_id, obj in pairs
            ]
        )
