"""What each StreamField block holds, described from the block classes themselves: as JSON
Schema for `/api/v3/schema/`, and as the tables of `docs/blocks.md` (`manage.py
block_reference`). One description, so the reference and the schema cannot disagree."""

import sys
from typing import Annotated, Any

from wagtail import blocks
from wagtail.api.v3.schemas.generators import read, write
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from pydantic import WithJsonSchema

from immunotherapy.fields import StreamField

# The JSON Schema type of each simple block, most specific class first.
SIMPLE_TYPES: list[tuple[type, dict[str, Any]]] = [
    (blocks.RichTextBlock, {"type": "string", "contentMediaType": "text/html"}),
    (blocks.URLBlock, {"type": "string", "format": "uri"}),
    (blocks.EmailBlock, {"type": "string", "format": "email"}),
    (EmbedBlock, {"type": "string", "format": "uri"}),
    (blocks.DateBlock, {"type": "string", "format": "date"}),
    (blocks.DateTimeBlock, {"type": "string", "format": "date-time"}),
    (blocks.IntegerBlock, {"type": "integer"}),
    (blocks.FloatBlock, {"type": "number"}),
    (blocks.DecimalBlock, {"type": "number"}),
    (blocks.BooleanBlock, {"type": "boolean"}),
    (blocks.FieldBlock, {"type": "string"}),
]


def block_kind(block: blocks.Block) -> str:
    """A short, readable name for the kind of value a block holds."""
    if isinstance(block, SnippetChooserBlock):
        return f"{block.target_model.__name__} (snippet id)"
    if isinstance(block, ImageChooserBlock):
        return "image (id)"
    if isinstance(block, blocks.ListBlock):
        return f"list of {block_kind(block.child_block)}"
    if isinstance(block, blocks.ChoiceBlock):
        return "choice"
    if isinstance(block, blocks.RichTextBlock):
        return "rich text (HTML)"
    if isinstance(block, blocks.StructBlock):
        return "group of fields"
    if isinstance(block, blocks.StreamBlock):
        return "stream"
    return block_schema(block).get("format") or block_schema(block).get("type", "any")


def is_required(block: blocks.Block) -> bool:
    """Whether an editor must fill the block in. A chooser's `required` builds its form field,
    which for a snippet chooser needs the snippet registered (by wagtail_hooks, loaded later):
    read the flag Wagtail's ChooserBlock keeps instead (wagtail/blocks/field_block.py, 8.0)."""
    if isinstance(block, blocks.ChooserBlock):
        return bool(block._required)
    if isinstance(block, blocks.ListBlock):
        return bool(block.meta.min_num)
    return bool(block.required)


def choices(block: blocks.Block) -> list[tuple[str, str]]:
    """A choice block's stored values and their labels."""
    if not isinstance(block, blocks.ChoiceBlock):
        return []
    return [(str(value), str(label)) for value, label in block.field.choices if value != ""]


def block_schema(block: blocks.Block) -> dict[str, Any]:
    """JSON Schema of a block's value as stored and written through the API."""
    meta = block.meta
    description = str(getattr(meta, "help_text", "") or getattr(meta, "description", "") or "")
    schema: dict[str, Any]
    if isinstance(block, blocks.StreamBlock):
        schema = stream_schema(block)
    elif isinstance(block, blocks.StructBlock):
        schema = {
            "type": "object",
            "properties": {name: block_schema(child) for name, child in block.child_blocks.items()},
            "required": [name for name, child in block.child_blocks.items() if is_required(child)],
        }
    elif isinstance(block, blocks.ListBlock):
        schema = {"type": "array", "items": block_schema(block.child_block)}
        if block.meta.min_num is not None:
            schema["minItems"] = block.meta.min_num
        if block.meta.max_num is not None:
            schema["maxItems"] = block.meta.max_num
    elif isinstance(block, blocks.ChoiceBlock):
        schema = {"type": "string", "enum": [value for value, _label in choices(block)]}
    elif isinstance(block, SnippetChooserBlock | ImageChooserBlock):
        name = block_kind(block).split(" ")[0]
        schema = {
            "type": "integer",
            "description": f"The {name}'s id when written; API reads show the {name}'s fields.",
        }
    else:
        schema = next(dict(s) for cls, s in SIMPLE_TYPES if isinstance(block, cls))
        field = getattr(block, "field", None)
        for attribute, key in (
            ("max_length", "maxLength"),
            ("min_value", "minimum"),
            ("max_value", "maximum"),
        ):
            if getattr(field, attribute, None) is not None:
                schema[key] = getattr(field, attribute)
    if description and "description" not in schema:
        schema["description"] = description
    return schema


def stream_schema(stream_block: blocks.StreamBlock) -> dict[str, Any]:
    """A StreamField value: a list of `{"type": name, "value": ..., "id": ...}` items, one
    schema per block type."""
    return {
        "type": "array",
        "items": {
            "oneOf": [
                {
                    "type": "object",
                    "title": name,
                    "properties": {
                        "type": {"const": name},
                        "value": block_schema(child),
                        "id": {"type": "string", "format": "uuid"},
                    },
                    "required": ["type", "value"],
                }
                for name, child in stream_block.child_blocks.items()
            ]
        },
    }


def _streamfield_read_schema(generator: Any, field: Any) -> Any:
    annotation, *rest = read.streamfield_schema(generator, field)
    return (Annotated[annotation, WithJsonSchema(stream_schema(field.stream_block))], *rest)


def _streamfield_write_schema(generator: Any, field: Any) -> Any:
    annotation, *rest = write.streamfield_schema(generator, field)
    return (Annotated[annotation, WithJsonSchema(stream_schema(field.stream_block))], *rest)


def register_v3_block_schemas() -> None:
    """Describe our StreamFields block by block in API v3's schema.

    Wagtail 8.0's API v3 types every StreamField as `list[Any]` (`streamfield_schema` in
    wagtail/api/v3/schemas/generators/read.py and write.py), which the schema shows as
    `items: {}`. Its generators look field schemas up along the field class's MRO, so
    registering our StreamField subclass overrides them for our fields only, keeping Wagtail's
    value resolution and validation and replacing just the JSON Schema.
    """

    read.read_generator.register_field_schema(StreamField, _streamfield_read_schema)
    for generator in (write.create_generator, write.patch_generator):
        generator.register_field_schema(StreamField, _streamfield_write_schema)
    # wagtail.api.v3.registry builds every page type's schemas when first imported; if that
    # has happened already, build them again with ours.
    registry_module = sys.modules.get("wagtail.api.v3.registry")
    if registry_module is not None:
        registry_module.registry.register_defaults()
