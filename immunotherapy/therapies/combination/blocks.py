"""Blocks only combination therapy pages need."""

from wagtail import blocks

from immunotherapy.blocks import ExpandedSnippetChooserBlock, HeadedBlock, TherapyStreamBlock


class RegimenComponentBlock(blocks.StructBlock):
    """One part of a combination: its kind of treatment and, for a medicine, the agent."""

    modality = blocks.ChoiceBlock(
        choices=[
            ("immunotherapy", "Immunotherapy"),
            ("chemotherapy", "Chemotherapy"),
            ("radiation", "Radiation therapy"),
            ("targeted", "Targeted therapy"),
        ]
    )
    name = blocks.CharBlock(max_length=200)
    agent = ExpandedSnippetChooserBlock("immunotherapy.Agent", required=False)


class RegimenBlock(HeadedBlock):
    """A combination regimen: its parts and whether they are given together or in turn."""

    name = blocks.CharBlock(max_length=200)
    components = blocks.ListBlock(RegimenComponentBlock(), min_num=2)
    sequencing = blocks.ChoiceBlock(
        choices=[
            ("concurrent", "Given together"),
            ("sequential", "Given one after the other"),
            ("induction-maintenance", "Together first, then one continues alone"),
        ]
    )
    sequencing_notes = blocks.TextBlock(required=False)
    used_for = blocks.CharBlock(max_length=255, required=False)

    def toc_heading(self, value: blocks.StructValue) -> str:
        return value["name"]

    class Meta:
        icon = "list-ul"  # clinical trials keep the link
        template = "combination/blocks/regimen_block.html"
        description = "Treatments given as one combination, together or one after the other."
        preview_value = {
            "name": "Pembrolizumab with chemotherapy",
            "components": [
                {"modality": "immunotherapy", "name": "Pembrolizumab"},
                {"modality": "chemotherapy", "name": "Pemetrexed and carboplatin"},
            ],
            "sequencing": "concurrent",
        }


class CombinationStreamBlock(TherapyStreamBlock):
    """A combination therapy page body: the shared blocks plus regimens."""

    regimen = RegimenBlock(group="Combinations")
