"""Composed stream blocks used by page bodies."""

from typing import Any

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList

from wagtail import blocks

from .clinical import (
    URGENT_CARE_LEVELS,
    AgentTableBlock,
    CareCardBlock,
    ClinicalTrialBlock,
    EvidenceBlock,
    MechanismBlock,
    SideEffectsBlock,
)
from .content import CalloutBlock, EmbedBlock, FAQBlock, FigureBlock, SectionBlock


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


MISSING_SIDE_EFFECTS = "A therapy page needs a side effects block before it can be published."
MISSING_URGENT_CARE = (
    "A therapy page needs a care card with level urgent or emergency before it can be published."
)


class ArticleStreamBlock(blocks.StreamBlock):
    """The body of an article: a sequence of sections."""

    section = SectionBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
        template="immunotherapy/blocks/paragraph_block.html",
        description="Text without a heading, such as a closing paragraph.",
    )
    callout = CalloutBlock()
    figure = FigureBlock()


class TherapyStreamBlock(blocks.StreamBlock):
    """The body of every therapy page; plugins subclass it to add their own blocks.

    Publishing needs at least one side effects block and one urgent or emergency care card.
    Drafts may be saved without them.
    """

    section = SectionBlock(group="Text")
    callout = CalloutBlock(group="Text")
    faq = FAQBlock(group="Text")
    mechanism = MechanismBlock(group="Clinical")
    agent_table = AgentTableBlock(group="Clinical")
    side_effects = SideEffectsBlock(group="Clinical")
    care_card = CareCardBlock(group="Clinical")
    evidence = EvidenceBlock(group="Evidence")
    clinical_trial = ClinicalTrialBlock(group="Evidence")
    figure = FigureBlock(group="Media")
    embed = EmbedBlock(group="Media")

    def clean(self, value: Any) -> Any:
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


def missing_required_blocks(stream: Any) -> list[str]:
    """Messages for the blocks a therapy page body still lacks."""
    types = [child.block_type for child in stream]
    levels = {child.value.get("level") for child in stream if child.block_type == "care_card"}
    messages = []
    if "side_effects" not in types:
        messages.append(MISSING_SIDE_EFFECTS)
    if not levels & URGENT_CARE_LEVELS:
        messages.append(MISSING_URGENT_CARE)
    return messages
