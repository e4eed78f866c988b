"""A StreamField that keeps its block definitions out of migrations.

The column is JSON whatever the blocks are, so a new or changed block (a
plugin's, say) needs no schema migration. Data migrations work on the raw JSON.
"""

from typing import Any

from wagtail.fields import StreamField as WagtailStreamField


class StreamField(WagtailStreamField):
    def __init__(self, block_types: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(block_types if block_types is not None else [], *args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, _path, _args, kwargs = super().deconstruct()
        kwargs.pop("block_lookup", None)
        return name, "immunotherapy.fields.StreamField", [], kwargs
