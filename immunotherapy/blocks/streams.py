"""Composed stream blocks used by page bodies."""

from dataclasses import dataclass, field
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

    def blank_children(self, value: Any) -> list[Any]:
        """The blocks of `value` a save drops."""
        return [child for child in value if is_blank(child.block, child.value)]

    def drop_blank(self, value: Any) -> Any:
        blank = self.blank_children(value)
        kept = [child for child in value if child not in blank]
        if not blank:
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
        preview_value="<p>If you have questions about your treatment, ask your care team.</p>",
    )
    callout = CalloutBlock()
    figure = FigureBlock()
    quote = QuoteBlock()
    table = TableBlock(
        icon="table",
        description="A table of text, with an optional header row and caption.",
        preview_value={
            "table_caption": "Your treatment at a glance",
            "first_row_is_table_header": True,
            "data": [
                ["Medicine", "How often it is given"],
                ["Pembrolizumab", "Every 3 or 6 weeks"],
                ["Nivolumab", "Every 2 or 4 weeks"],
            ],
        },
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
    faq = FAQBlock(group="Text")
    mechanism = MechanismBlock(group="Clinical")
    agent_table = AgentTableBlock(group="Clinical")
    side_effects = SideEffectsBlock(group="Clinical")
    care_card = CareCardBlock(group="Clinical")
    evidence = EvidenceBlock(group="Research")
    clinical_trial = ClinicalTrialBlock(group="Research")
    figure = FigureBlock(group="Media")
    embed = EmbedBlock(group="Media")

    def clean(self, value: Any) -> Any:
        value = self.drop_blank(value)
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


@dataclass(frozen=True)
class ChecklistRule:
    """One block a therapy page needs before review, and what a block of its type must hold to
    count: its `required_fields` not blank, and each field of `one_of` set to one of its values.
    The editor's checklist script gets the same rule as data (`as_data`), so a blank block
    counts in neither."""

    name: str
    label: str  # the checklist line, in the editor's words
    missing: str  # why a page lacking it is refused
    block_type: str
    required_fields: tuple[str, ...]
    one_of: dict[str, frozenset[str]] = field(default_factory=dict)

    def counts(self, child: Any) -> bool:
        if child.block_type != self.block_type:
            return False
        value, fields = child.value, child.block.child_blocks
        return all(value.get(name) in allowed for name, allowed in self.one_of.items()) and not any(
            is_blank(fields[name], value.get(name)) for name in self.required_fields
        )

    def as_data(self) -> dict[str, Any]:
        return {
            "rule": self.name,
            "block_type": self.block_type,
            "required_fields": list(self.required_fields),
            "one_of": {name: sorted(allowed) for name, allowed in self.one_of.items()},
        }


PUBLISHING_RULES = (
    ChecklistRule(
        "side_effects",
        CHECKLIST_SIDE_EFFECTS,
        MISSING_SIDE_EFFECTS,
        block_type="side_effects",
        required_fields=("effects",),
    ),
    ChecklistRule(
        "urgent_care",
        CHECKLIST_URGENT_CARE,
        MISSING_URGENT_CARE,
        block_type="care_card",
        required_fields=("heading", "body"),
        one_of={"level": frozenset(URGENT_CARE_LEVELS)},
    ),
)


def publishing_checklist(stream: Any) -> list[tuple[ChecklistRule, bool]]:
    """Each block a therapy page needs before review, and whether the stream has one that counts."""
    return [(rule, any(rule.counts(child) for child in stream)) for rule in PUBLISHING_RULES]


def missing_required_blocks(stream: Any) -> list[str]:
    """Messages for the blocks a therapy page body still lacks."""
    return [rule.missing for rule, present in publishing_checklist(stream) if not present]
