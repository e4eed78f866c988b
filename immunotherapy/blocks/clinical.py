"""Clinical blocks: mechanism, agents, side effects, evidence, trials and care cards."""

from typing import Any

from django.core.validators import RegexValidator

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from immunotherapy import rich_text
from immunotherapy.api.prefetch import PrefetchedChooserMixin
from immunotherapy.blocks.content import HeadedBlock, ListItemTextBlock

NCT_ID_VALIDATOR = RegexValidator(
    r"^NCT\d{8}$", "Enter a ClinicalTrials.gov id: NCT followed by 8 digits, e.g. NCT01866319."
)
CTCAE_GRADES = [
    ("1", "Grade 1 (mild)"),
    ("2", "Grade 2 (moderate)"),
    ("3", "Grade 3 (severe)"),
    ("4", "Grade 4 (life-threatening)"),
    ("5", "Grade 5 (death related to the side effect)"),
]
CARE_LEVELS = [
    ("non_urgent", "Non-urgent: mention it at your next appointment"),
    ("urgent", "Urgent: call your treatment team today"),
    ("emergency", "Emergency: call emergency services now"),
]
URGENT_CARE_LEVELS = {"urgent", "emergency"}
ORGAN_SYSTEMS = [
    ("skin", "Skin"),
    ("gut", "Bowel and stomach"),
    ("liver", "Liver"),
    ("lungs", "Lungs"),
    ("hormones", "Hormone glands"),
    ("nervous system", "Brain and nerves"),
    ("blood", "Blood and immune system"),
    ("whole body", "Whole body"),
    ("other", "Other"),
]


class ExpandedSnippetChooserBlock(PrefetchedChooserMixin, SnippetChooserBlock):
    """Chooses a snippet; the API shows the snippet's fields instead of its id."""

    def get_api_representation(self, value: Any, context: Any = None) -> dict | None:
        return value.api_representation() if value is not None else None

    def example_snippets(self, *fields: dict[str, Any]) -> list[Any]:
        """Snippets for a block's preview in the picker, never saved: `Meta.preview_value` could
        only name snippets by id, and the site's lists may not hold them."""
        return [self.model_class(**example) for example in fields]


class MechanismBlock(HeadedBlock):
    """How a treatment works, in a few plain steps."""

    heading = blocks.CharBlock(max_length=200, default="How it works")
    summary = blocks.RichTextBlock(features=rich_text.INLINE)
    steps = blocks.ListBlock(ListItemTextBlock("Step", max_length=300), required=False)

    class Meta:
        icon = "cogs"
        template = "immunotherapy/blocks/mechanism_block.html"
        description = "How the treatment works, with optional numbered steps."
        preview_value = {
            "heading": "How it works",
            "summary": "<p>The drug releases a brake on T cells.</p>",
            "steps": ["The drug attaches to PD-1.", "T cells attack the cancer."],
        }


class AgentTableBlock(HeadedBlock):
    """A table of drugs or products, filled from agent snippets."""

    heading = blocks.CharBlock(max_length=200, default="Medicines in this group")
    agents = blocks.ListBlock(
        ExpandedSnippetChooserBlock("immunotherapy.Agent"), min_num=1, label="Agents"
    )

    def get_preview_value(self) -> blocks.StructValue:
        agent = self.child_blocks["agents"].child_block
        return self.normalize(
            {
                "heading": "Medicines in this group",
                "agents": agent.example_snippets(
                    {
                        "generic_name": "pembrolizumab",
                        "brand_names": "Keytruda",
                        "target": "PD-1",
                        "drug_class": "checkpoint inhibitor",
                        "first_approval_year": 2014,
                        "approved_indications": "Melanoma, lung cancer and many other cancers.",
                    },
                    {
                        "generic_name": "ipilimumab",
                        "brand_names": "Yervoy",
                        "target": "CTLA-4",
                        "drug_class": "checkpoint inhibitor",
                        "first_approval_year": 2011,
                        "approved_indications": "Melanoma; with nivolumab in other cancers.",
                    },
                ),
            }
        )

    class Meta:
        icon = "table"
        template = "immunotherapy/blocks/agent_table_block.html"
        description = "A table of medicines chosen from the agents list."


class SideEffectBlock(blocks.StructBlock):
    """One side effect: where it shows, its grade, how it is managed and when to get help."""

    organ_system = blocks.ChoiceBlock(choices=ORGAN_SYSTEMS)
    name = blocks.CharBlock(max_length=120)
    symptoms = blocks.TextBlock(help_text="What the person may notice.")
    grade = blocks.ChoiceBlock(
        choices=CTCAE_GRADES, help_text="Typical or most severe CTCAE grade described."
    )
    management = blocks.RichTextBlock(features=rich_text.INLINE_WITH_BULLETS)
    seek_urgent_care = blocks.TextBlock(help_text="When to call the treatment team at once.")

    class Meta:
        icon = "warning"


class SideEffectsBlock(HeadedBlock):
    """Side effects with their CTCAE grades, management and when to seek urgent care."""

    heading = blocks.CharBlock(max_length=200, default="Side effects")
    intro = blocks.RichTextBlock(features=rich_text.INLINE, required=False)
    effects = blocks.ListBlock(SideEffectBlock(), min_num=1)

    class Meta:
        icon = "warning"
        template = "immunotherapy/blocks/side_effects_block.html"
        description = "Side effects by organ system, with grade, management and warning signs."
        preview_value = {
            "heading": "Side effects",
            "effects": [
                {
                    "organ_system": "gut",
                    "name": "Colitis",
                    "symptoms": "Diarrhoea, tummy pain.",
                    "grade": "2",
                    "management": "<p>Steroids may be given.</p>",
                    "seek_urgent_care": "Six or more loose stools a day.",
                }
            ],
        }


class EvidenceBlock(HeadedBlock):
    """What the research shows, citing reference snippets."""

    heading = blocks.CharBlock(max_length=200, default="What the research shows")
    summary = blocks.RichTextBlock(features=rich_text.INLINE_WITH_BULLETS)
    references = blocks.ListBlock(ExpandedSnippetChooserBlock("immunotherapy.Reference"), min_num=1)

    def get_preview_value(self) -> blocks.StructValue:
        reference = self.child_blocks["references"].child_block
        return self.normalize(
            {
                "heading": "What the research shows",
                "summary": "<p>In a large trial, people with advanced melanoma lived longer "
                "with pembrolizumab than with ipilimumab.</p>",
                "references": reference.example_snippets(
                    {
                        "authors": "Robert C, et al.",
                        "title": "Pembrolizumab versus ipilimumab in advanced melanoma",
                        "journal": "N Engl J Med",
                        "year": 2015,
                        "doi": "10.1056/NEJMoa1503093",
                        "pmid": "25891173",
                    }
                ),
            }
        )

    class Meta:
        label = "Evidence summary"
        icon = "doc-full"
        template = "immunotherapy/blocks/evidence_block.html"
        description = "A plain summary of the evidence and the studies behind it."


class ClinicalTrialBlock(blocks.StructBlock):
    """A clinical trial, linked by its ClinicalTrials.gov id."""

    nct_id = blocks.CharBlock(
        max_length=11, label="NCT id", validators=[NCT_ID_VALIDATOR], help_text="e.g. NCT01866319"
    )
    name = blocks.CharBlock(max_length=200, help_text="e.g. KEYNOTE-006")
    summary = blocks.TextBlock(required=False)

    def get_api_representation(self, value: blocks.StructValue, context: Any = None) -> dict:
        representation = super().get_api_representation(value, context)
        representation["url"] = f"https://clinicaltrials.gov/study/{value['nct_id']}"
        return representation

    class Meta:
        icon = "link"
        template = "immunotherapy/blocks/clinical_trial_block.html"
        description = "A link to a clinical trial on ClinicalTrials.gov."
        preview_value = {"nct_id": "NCT01866319", "name": "KEYNOTE-006"}


class CareCardBlock(HeadedBlock):
    """What to do and how fast: non-urgent, urgent or emergency care."""

    level = blocks.ChoiceBlock(choices=CARE_LEVELS, default="urgent")
    heading = blocks.CharBlock(max_length=200)
    body = blocks.RichTextBlock(features=rich_text.INLINE_WITH_BULLETS)

    class Meta:
        icon = "circle-plus"  # a medical cross, distinct from side effects' warning sign
        template = "immunotherapy/blocks/care_card_block.html"
        description = "A card telling readers when and how to get help."
        preview_value = {
            "level": "urgent",
            "heading": "Call your treatment team now if you have",
            "body": "<ul><li>a temperature of 38°C or higher</li></ul>",
        }
