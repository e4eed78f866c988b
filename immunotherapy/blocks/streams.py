"""Composed stream blocks used by page bodies."""

from wagtail import blocks

from .content import SectionBlock


class ArticleStreamBlock(blocks.StreamBlock):
    """The body of an article: a sequence of sections."""

    section = SectionBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
        template="immunotherapy/blocks/paragraph_block.html",
        description="Text without a heading, such as a closing paragraph.",
    )
