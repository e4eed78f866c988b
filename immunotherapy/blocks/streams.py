"""Composed stream blocks used by page bodies."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.utils import ErrorList

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.utils.text import text_from_html

from immunotherapy import rich_text

from .clinical import (
    URGENT_CARE_LEVELS,
    AgentTableBlock,
    CareCardBlock,
    ClinicalTrialBlock,
    EvidenceBlock,
    MechanismBlock,
    SideEffectsBlock,
)
from .content import CalloutBlock, EmbedBlock, FAQBlock, FigureBlock, QuoteBlock, SectionBlock


def chosen_snippets(stream: Any, block_type: str, field: str) -> list:
    """The snippets chosen in the list `field` of every `block_type` block, once each, in the
    order they first appear."""
    seen: dict[int, Any] = {}
    for block in stream:
        if block.block_type == block_type:
            for snippet in block.value[field]:
                if snippet is not None:
                    seen.setdefault(snippet.pk, snippet)
    return list(seen.values())


def snippets_of_type(value: Any, model: type[Model]) -> list:
    """Every `model` instance chosen anywhere in a stream (in any block, list or struct), once
    each, in the order they first appear."""
    found: dict[int, Any] = {}

    def walk(item: Any) -> None:
        if isinstance(item, model):
            found.setdefault(item.pk, item)
        elif isinstance(item, blocks.StructValue):
            for child in item.values():
                walk(child)
        elif isinstance(item, blocks.StreamValue.StreamChild):
            walk(item.value)
        elif isinstance(item, blocks.StreamValue | blocks.list_block.ListValue | list):
            for child in item:
                walk(child)

    walk(value)
    return list(found.values())


# Worded for everyone who meets them: editors submit for review, reviewers approve, admins publish.
MISSING_SIDE_EFFECTS = (
    "Add a side effects block: a therapy page needs one before it is reviewed and goes live."
)
MISSING_URGENT_CARE = (
    "Add a care card with level urgent or emergency: a therapy page needs one before it is "
    "reviewed and goes live."
)
# The editor's publishing checklist: what each rule asks for, in the editor's words.
CHECKLIST_SIDE_EFFECTS = "A side effects block"
CHECKLIST_URGENT_CARE = "A care card with level urgent or emergency"


def is_blank(block: blocks.Block, value: Any) -> bool:
    """Whether an editor left `value` as inserted: nothing typed or chosen beyond defaults."""
    if isinstance(block, blocks.StructBlock):
        return all(is_blank(child, value.get(name)) for name, child in block.child_blocks.items())
    if isinstance(block, blocks.ListBlock):
        return all(is_blank(block.child_block, item) for item in value)
    if isinstance(block, blocks.StreamBlock):
        return all(is_blank(child.block, child.value) for child in value)
    if isinstance(block, blocks.RichTextBlock):
        return value is None or not text_from_html(value.source).strip()
    return value in (None, "", [], {}) or value == block.get_default()


class DropBlankBlocksMixin:
    """A block inserted by mistake and left blank is dropped on save, autosave included, so it
    neither blocks a submit with "This field is required" nor shows as an empty heading."""

    def drop_blank(self, value: Any) -> Any:
        kept = [child for child in value if not is_blank(child.block, child.value)]
        if len(kept) == len(value):
            return value
        return blocks.StreamValue(
            self, [(child.block_type, child.value, child.id) for child in kept]
        )

    def clean(self, value: Any) -> Any:
        return super().clean(self.drop_blank(value))  # type: ignore[misc]


class ArticleStreamBlock(DropBlankBlocksMixin, blocks.StreamBlock):
    """The body of an article: a sequence of sections."""

    section = SectionBlock()
    paragraph = blocks.RichTextBlock(
        features=rich_text.PARAGRAPHS,
        icon="pilcrow",
        template="immunotherapy/blocks/paragraph_block.html",
        description="Text without a heading, such as a closing paragraph.",
    )
    callout = CalloutBlock()
    figure = FigureBlock()
    quote = QuoteBlock()
    table = TableBlock(
        icon="table", description="A table of text, with an optional header row and caption."
    )
    embed = EmbedBlock()
    evidence = EvidenceBlock()


class TherapyStreamBlock(DropBlankBlocksMixin, blocks.StreamBlock):
    """The body of every therapy page; plugins subclass it to add their own blocks.

    Publishing needs at least one side effects block and one urgent or emergency care card.
    Drafts may be saved without them.
    """

    section = SectionBlock(group="Text")
    callout = CalloutBlock(group="Text")
    faq = FAQBlock(group="Text", label="FAQ")
    mechanism = MechanismBlock(group="Clinical")
    agent_table = AgentTableBlock(group="Clinical")
    side_effects = SideEffectsBlock(group="Clinical")
    care_card = CareCardBlock(group="Clinical")
    evidence = EvidenceBlock(group="Research", label="Evidence summary")
    clinical_trial = ClinicalTrialBlock(group="Research")
    figure = FigureBlock(group="Media")
    embed = EmbedBlock(group="Media")

    def clean(self, value: Any) -> Any:
        value = self.drop_blank(value)  # a blank care card does not count as one
        try:
            cleaned = super().clean(value)
        except blocks.StreamBlockValidationError as exc:
            block_errors, non_block_errors = exc.block_errors, ErrorList(exc.non_block_errors)
            cleaned = None
        else:
            block_errors, non_block_errors = {}, ErrorList()
        if not self.is_deferred_validation:
            non_block_errors.extend(ValidationError(m) for m in missing_required_blocks(value))
        if block_errors or non_block_errors:
            raise blocks.StreamBlockValidationError(
                block_errors=block_errors, non_block_errors=non_block_errors
            )
        return cleaned


def publishing_checklist(stream: Any) -> list[tuple[str, str, bool, str]]:
    """Each block a therapy page needs before review: (rule, what it is, present?, message)."""
    types = {child.block_type for child in stream}
    levels = {child.value.get("level") for child in stream if child.block_type == "care_card"}
    return [
        ("side_effects", CHECKLIST_SIDE_EFFECTS, "side_effects" in types, MISSING_SIDE_EFFECTS),
        (
            "urgent_care",
            CHECKLIST_URGENT_CARE,
            bool(levels & URGENT_CARE_LEVELS),
            MISSING_URGENT_CARE,
        ),
    ]


def missing_required_blocks(stream: Any) -> list[str]:
    """Messages for the blocks a therapy page body still lacks."""
    return [message for *_rule, present, message in publishing_checklist(stream) if not present]
