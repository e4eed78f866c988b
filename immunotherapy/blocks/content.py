"""Editorial blocks: sections, callouts, questions and answers, figures and embeds."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import slugify

from wagtail import blocks
from wagtail.embeds import blocks as embed_blocks
from wagtail.images.blocks import ImageChooserBlock

from immunotherapy import rich_text
from immunotherapy.api.prefetch import PrefetchedChooserMixin

API_RENDITION = "max-1200x1200|format-webp"


class HeadedBlock(blocks.StructBlock):
    """A block shown under its own h2, which the page's "On this page" list names and links to.

    The heading is the block's `heading` field; a block whose heading is made from other fields
    (a name, a choice) overrides `toc_heading(value)`. Its template gets the text as `heading`;
    a block without a template shows it as an h2 above its fields. Subclass this (or give any
    block a `toc_heading` method) to list a plugin's block; other blocks are not listed.
    """

    def toc_heading(self, value: blocks.StructValue) -> str:
        return str(value.get("heading") or "")

    def get_context(self, value: blocks.StructValue, parent_context: Any = None) -> dict:
        return {**super().get_context(value, parent_context), "heading": self.toc_heading(value)}

    def render_basic(self, value: blocks.StructValue, context: Any = None) -> SafeString:
        return format_html(
            "<h2>{}</h2>{}", self.toc_heading(value), super().render_basic(value, context)
        )


class ListItemTextBlock(blocks.CharBlock):
    """A line of text as the item of a list: `ListBlock(ListItemTextBlock("Step", max_length=300))`.

    Wagtail's editor gives the text box of a list item no label (wagtail/wagtail#11179): the
    widget carries `label` for screen readers, and each item's heading shows it.
    """

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label=label, **kwargs)
        self.field.widget.attrs["aria-label"] = label


class SectionStructValue(blocks.StructValue):
    """Gives each section a stable anchor for the table of contents and deep links."""

    def anchor_id(self) -> str:
        return self.get("anchor") or slugify(self.get("heading", ""))


class SectionBlock(HeadedBlock):
    """A titled section of an article or therapy page: a heading and its text."""

    heading = blocks.CharBlock(max_length=200)
    anchor = blocks.CharBlock(
        required=False,
        max_length=80,
        help_text="Optional link target; left empty, it is made from the heading.",
    )
    body = blocks.RichTextBlock(
        features=rich_text.SECTION,
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


class CalloutBlock(blocks.StructBlock):
    """A highlighted box: a tip, a warning or a disclaimer."""

    kind = blocks.ChoiceBlock(
        choices=[("info", "Information"), ("warning", "Warning"), ("disclaimer", "Disclaimer")],
        default="info",
    )
    title = blocks.CharBlock(max_length=120, required=False)
    text = blocks.RichTextBlock(features=rich_text.INLINE_WITH_BULLETS)

    class Meta:
        icon = "info-circle"  # FAQ keeps the question mark
        template = "immunotherapy/blocks/callout_block.html"
        description = "A highlighted note, warning or disclaimer."
        preview_value = {
            "kind": "info",
            "title": "Talk to your team",
            "text": "<p>Every treatment plan is different.</p>",
        }


class FAQItemBlock(blocks.StructBlock):
    """One question and its answer."""

    question = blocks.CharBlock(max_length=255)
    answer = blocks.RichTextBlock(features=rich_text.PARAGRAPHS)

    class Meta:
        icon = "help"


class FAQBlock(HeadedBlock):
    """Frequently asked questions, shown as expandable answers."""

    heading = blocks.CharBlock(max_length=120, default="Questions people ask")
    items = blocks.ListBlock(FAQItemBlock(), min_num=1)

    class Meta:
        label = "FAQ"
        icon = "help"
        template = "immunotherapy/blocks/faq_block.html"
        description = "Questions and answers, each answer folded away until opened."
        preview_value = {
            "heading": "Questions people ask",
            "items": [
                {
                    "question": "Will I lose my hair?",
                    "answer": "<p>Hair loss is rare with immunotherapy.</p>",
                }
            ],
        }


class PrefetchedImageChooserBlock(PrefetchedChooserMixin, ImageChooserBlock):
    """Chooses an image; API listings load every chosen image and its renditions at once."""


class FigureBlock(blocks.StructBlock):
    """An image with the alternative text screen readers need and an optional caption."""

    image = PrefetchedImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=255, help_text="Describe the image for people who cannot see it."
    )
    caption = blocks.CharBlock(max_length=255, required=False)

    def clean(self, value: blocks.StructValue) -> blocks.StructValue:
        value = super().clean(value)
        if value.get("image") and not (value.get("alt_text") or "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={"alt_text": ValidationError("Every image needs alt text.")}
            )
        return value

    def get_api_representation(self, value: blocks.StructValue, context: Any = None) -> dict:
        return {
            "image": image_api_representation(value.get("image"), value.get("alt_text", "")),
            "alt_text": value.get("alt_text", ""),
            "caption": value.get("caption", ""),
        }

    class Meta:
        icon = "image"
        template = "immunotherapy/blocks/figure_block.html"
        description = "An image with alt text and a caption."


class QuoteBlock(blocks.StructBlock):
    """A quotation set apart from the text, with who said it."""

    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(max_length=255, required=False)

    class Meta:
        icon = "openquote"
        template = "immunotherapy/blocks/quote_block.html"
        description = "A quotation, such as a patient's words, with who said it."
        preview_value = {
            "quote": "I felt listened to at every appointment.",
            "attribution": "A patient on immunotherapy",
        }


class EmbedBlock(blocks.StructBlock):
    """A video or other media from a trusted provider, with a title for screen readers."""

    url = embed_blocks.EmbedBlock(label="URL", help_text="A YouTube or Vimeo address, for example.")
    title = blocks.CharBlock(max_length=200, help_text="What the media shows, for screen readers.")

    def get_api_representation(self, value: blocks.StructValue, context: Any = None) -> dict:
        embed = value.get("url")
        return {"url": getattr(embed, "url", embed) or "", "title": value.get("title", "")}

    class Meta:
        icon = "media"
        template = "immunotherapy/blocks/embed_block.html"
        description = "An embedded video or other media."


def image_api_representation(image: Any, alt: str = "") -> dict | None:
    """An image as API readers need it: a web-sized rendition with its size and alt text."""
    if image is None:
        return None
    rendition = image.get_rendition(API_RENDITION)
    return {
        "id": image.pk,
        "url": rendition.url,
        "width": rendition.width,
        "height": rendition.height,
        "alt": alt or image.default_alt_text or image.title,
    }
