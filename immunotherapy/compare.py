"""Readable block changes for medical reviewers in the admin's revision comparison.

Wagtail's comparison (`wagtail.admin.compare`) shows a new block by its HTML text without the
block's name, nested blocks by their raw keys ("organ_system skin") and choices by their stored
values. These subclasses give every block its label, every field its label and every choice its
label; `wagtail_hooks` registers the field comparison for the body StreamField.

A block counts as changed only when its stored content changed: the block ids and rich text
`data-block-key` attributes that the editor adds on its first save of older content (such as
the demo pages) are not a change a reviewer can see.
"""

import re
from typing import Any

from django.utils.encoding import force_str
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from wagtail import blocks
from wagtail.admin.compare import (
    BlockComparison,
    ListBlockComparison,
    RichTextBlockComparison,
    StreamBlockComparison,
    StreamFieldComparison,
    diff_text,
    get_comparison_class_for_block,
)
from wagtail.utils.text import text_from_html

BLOCK_KEY = re.compile(r"""\sdata-block-key=(?:"[^"]*"|'[^']*')""")
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|ol|ul|blockquote)>|<br\s*/?>")


def comparison_class_for(block: blocks.Block) -> type[BlockComparison]:
    """The labelled comparison for `block`, falling back to Wagtail's for text blocks."""
    if hasattr(block, "get_comparison_class"):
        return block.get_comparison_class()
    if isinstance(block, blocks.RichTextBlock):
        return RichTextComparison
    if isinstance(block, blocks.ChoiceBlock):
        return ChoiceBlockComparison
    if isinstance(block, blocks.ChooserBlock):
        return ChooserBlockComparison
    if isinstance(block, blocks.StructBlock):
        return LabelledStructBlockComparison
    if isinstance(block, blocks.ListBlock):
        return LabelledListBlockComparison
    if isinstance(block, blocks.StreamBlock):
        return LabelledStreamBlockComparison
    return get_comparison_class_for_block(block)


def _relabelled(comparison: BlockComparison) -> BlockComparison:
    cls = comparison_class_for(comparison.block)
    return cls(
        comparison.block,
        comparison.exists_a,
        comparison.exists_b,
        comparison.val_a,
        comparison.val_b,
    )


def _without_editor_keys(data: Any) -> Any:
    """Stored block data without stream and list item ids and rich text block keys."""
    if isinstance(data, str):
        return BLOCK_KEY.sub("", data)
    if isinstance(data, list):
        return [_without_editor_keys(item) for item in data]
    if isinstance(data, dict):
        is_item = {"type", "value"} <= data.keys()
        return {
            key: _without_editor_keys(value)
            for key, value in data.items()
            if not (is_item and key == "id")
        }
    return data


class StoredContentMixin:
    """Overrides `BlockComparison.has_changed` to compare stored content, not editor keys."""

    block: blocks.Block
    val_a: Any
    val_b: Any

    def has_changed(self) -> bool:
        stored_a = _without_editor_keys(self.block.get_prep_value(self.val_a))
        return stored_a != _without_editor_keys(self.block.get_prep_value(self.val_b))


def _text_of(html: str) -> str:
    """Text of rich text HTML, its paragraphs and list items kept apart by a line break."""
    return text_from_html(BLOCK_END.sub(lambda end: end.group() + "\n", html))


class RichTextComparison(StoredContentMixin, RichTextBlockComparison):
    """Rich text compared by its paragraphs' text, kept apart ("attack. Checkpoint")."""

    def htmlvalue(self, val: Any) -> str:
        return format_html("{}", _text_of(self.block.render_basic(val)))

    def htmldiff(self) -> str:
        text_a = _text_of(self.block.render_basic(self.val_a))
        return diff_text(text_a, _text_of(self.block.render_basic(self.val_b))).to_html()


class ChoiceBlockComparison(StoredContentMixin, BlockComparison):
    """A choice shown by its label ("Skin"), not its stored value ("skin")."""

    def label(self, value: Any) -> str:
        choices = dict(self.block.field.choices)
        return force_str(choices.get(value, value or ""))

    def htmlvalue(self, val: Any) -> str:
        return format_html("{}", self.label(val))

    def htmldiff(self) -> str:
        return diff_text(self.label(self.val_a), self.label(self.val_b)).to_html()


class ChooserBlockComparison(StoredContentMixin, BlockComparison):
    """A chosen snippet or image shown by its title."""

    def htmlvalue(self, val: Any) -> str:
        return format_html("{}", "" if val is None else str(val))

    def htmldiff(self) -> str:
        text_a = "" if self.val_a is None else str(self.val_a)
        text_b = "" if self.val_b is None else str(self.val_b)
        return diff_text(text_a, text_b).to_html()


class LabelledStructBlockComparison(StoredContentMixin, BlockComparison):
    """A block's fields as a list of field labels and values (or their changes)."""

    def htmlvalue(self, val: Any) -> SafeString:
        rows = []
        for name, child in self.block.child_blocks.items():
            comparison = comparison_class_for(child)(child, True, True, val[name], val[name])
            rows.append((child.label, comparison.htmlvalue(val[name])))
        return format_html(
            "<dl>\n{}\n</dl>", format_html_join("\n", "<dt>{}</dt>\n<dd>{}</dd>", rows)
        )

    def htmldiff(self) -> SafeString:
        rows = []
        for name, child in self.block.child_blocks.items():
            comparison = comparison_class_for(child)(
                child, self.exists_a, self.exists_b, self.val_a[name], self.val_b[name]
            )
            rows.append((child.label, comparison.htmldiff()))
        return format_html(
            "<dl>\n{}\n</dl>", format_html_join("\n", "<dt>{}</dt>\n<dd>{}</dd>", rows)
        )


class LabelledListBlockComparison(StoredContentMixin, ListBlockComparison):
    """List items numbered, each compared with its own labelled comparison."""

    def get_block_comparisons(self) -> list[BlockComparison]:
        return [_relabelled(comparison) for comparison in super().get_block_comparisons()]

    def htmlvalue(self, val: Any) -> SafeString:
        cls = comparison_class_for(self.block.child_block)
        items = [
            (cls(item.block, True, True, item.value, item.value).htmlvalue(item.value),)
            for item in self.get_blocks_from_value(val)
        ]
        return format_html("<ol>{}</ol>", format_html_join("", "<li>{}</li>", items))


STATUS_LABELS = {"addition": "Added", "deletion": "Removed", "changed": "Changed"}


class LabelledStreamBlockComparison(StoredContentMixin, StreamBlockComparison):
    """Each block headed by its label and whether it was added, removed or changed."""

    def get_block_comparisons(self) -> list[BlockComparison]:
        return [_relabelled(comparison) for comparison in super().get_block_comparisons()]

    def htmldiff(self) -> SafeString:
        parts = []
        for comparison in self.get_block_comparisons():
            if comparison.is_new():
                status, body = "addition", comparison.htmlvalue(comparison.val_b)
            elif comparison.is_deleted():
                status, body = "deletion", comparison.htmlvalue(comparison.val_a)
            elif comparison.has_changed():
                status, body = "changed", comparison.htmldiff()
            else:
                status, body = "", comparison.htmlvalue(comparison.val_a)
            parts.append(
                format_html(
                    '<div class="comparison__child-object {}">'
                    '<p class="comparison__block-label"><strong>{}</strong>{}</p>{}</div>',
                    status,
                    comparison.block.label,
                    format_html(" ({})", STATUS_LABELS[status]) if status else "",
                    mark_safe(body),  # noqa: S308 - built by the comparison classes, escaped
                )
            )
        return mark_safe("\n".join(parts))  # noqa: S308 - each part is built with format_html

    def htmlvalue(self, val: Any) -> SafeString:
        rows = []
        for child in self.get_blocks_from_value(val):
            comparison = comparison_class_for(child.block)(
                child.block, True, True, child.value, child.value
            )
            rows.append((child.block.label, comparison.htmlvalue(child.value)))
        return format_html(
            "<dl>\n{}\n</dl>", format_html_join("\n", "<dt>{}</dt>\n<dd>{}</dd>", rows)
        )


class LabelledStreamFieldComparison(StreamFieldComparison):
    """The body StreamField compared block by block with labels (see the module docstring)."""

    def htmldiff(self) -> SafeString:
        if self.has_block_ids(self.val_a) and self.has_block_ids(self.val_b):
            return LabelledStreamBlockComparison(
                self.field.stream_block, True, True, self.val_a, self.val_b
            ).htmldiff()
        return super().htmldiff()
