"""Editorial blocks: headings, rich text and sections."""

from typing import Any

from django.utils.text import slugify

from wagtail import blocks


class SectionStructValue(blocks.StructValue):
    """Gives each section a stable anchor for the table of contents and deep links."""

    def anchor_id(self) -> str:
        return self.get("anchor") or slugify(self.get("heading", ""))


class SectionBlock(blocks.StructBlock):
    """A titled section of an article or therapy page: a heading and its text."""

    heading = blocks.CharBlock(max_length=200)
    anchor = blocks.CharBlock(
        required=False,
        max_length=80,
        help_text="Optional link target; left empty, it is made from the heading.",
    )
    body = blocks.RichTextBlock(
        features=["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"],
    )

    def get_api_representation(self, value: SectionStructValue, context: Any = None) -> dict:
        representation = super().get_api_representation(value, context)
        representation["anchor"] = value.anchor_id()
        return representation

    class Meta:
        icon = "title"
        template = "immunotherapy/blocks/section_block.html"
        value_class = SectionStructValue
        description = "A section with its own heading, listed in the table of contents."
        preview_value = {
            "heading": "How checkpoint inhibitors work",
            "body": "<p>Checkpoint proteins act as brakes on immune cells.</p>",
        }
