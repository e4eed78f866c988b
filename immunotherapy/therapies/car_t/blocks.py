"""Blocks only adoptive cell therapy pages need."""

from wagtail import blocks

from immunotherapy import rich_text
from immunotherapy.blocks import HeadedBlock, ListItemTextBlock, TherapyStreamBlock


class CellSourceBlock(HeadedBlock):
    """Where the cells come from and what kind of cell therapy it is."""

    therapy = blocks.ChoiceBlock(
        choices=[
            ("CAR-T", "CAR-T cells"),
            ("TIL", "Tumour-infiltrating lymphocytes (TIL)"),
            ("TCR-T", "T-cell receptor (TCR-T) cells"),
        ]
    )
    source = blocks.ChoiceBlock(
        choices=[
            ("autologous", "Autologous: the person's own cells"),
            ("allogeneic", "Allogeneic: cells from a donor"),
        ]
    )
    description = blocks.RichTextBlock(features=rich_text.INLINE_WITH_BULLETS)

    def toc_heading(self, value: blocks.StructValue) -> str:
        cells = "your own cells" if value["source"] == "autologous" else "donor cells"
        return f"{value['therapy']}: {cells}"

    class Meta:
        icon = "user"
        template = "car_t/blocks/cell_source_block.html"
        description = "The kind of cell therapy and where the cells come from."
        preview_value = {
            "therapy": "CAR-T",
            "source": "autologous",
            "description": "<p>Your own T cells are collected from your blood.</p>",
        }


class ManufacturingStepBlock(blocks.StructBlock):
    """One step from collecting cells to giving them back."""

    title = blocks.CharBlock(max_length=120)
    description = blocks.TextBlock()
    typical_duration = blocks.CharBlock(max_length=60, required=False)


class ManufacturingStepsBlock(HeadedBlock):
    """The journey of the cells, step by step."""

    heading = blocks.CharBlock(max_length=200, default="How the cells are made")
    steps = blocks.ListBlock(ManufacturingStepBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "car_t/blocks/manufacturing_steps_block.html"
        description = "Numbered steps from collecting the cells to the infusion."
        preview_value = {
            "heading": "How the cells are made",
            "steps": [
                {
                    "title": "Collecting your T cells",
                    "description": "White blood cells are collected from your blood.",
                    "typical_duration": "3 to 6 hours",
                }
            ],
        }


class LymphodepletionBlock(HeadedBlock):
    """The short chemotherapy given before the cells, and why."""

    regimen = blocks.CharBlock(max_length=200, help_text="e.g. fludarabine and cyclophosphamide")
    explanation = blocks.RichTextBlock(features=rich_text.INLINE_WITH_BULLETS)

    def toc_heading(self, value: blocks.StructValue) -> str:
        return f"Before the infusion: {value['regimen']}"

    class Meta:
        icon = "pick"
        template = "car_t/blocks/lymphodepletion_block.html"
        description = "The short course of chemotherapy given before the cells, and why."
        preview_value = {
            "regimen": "fludarabine and cyclophosphamide",
            "explanation": "<p>A short course of chemotherapy makes room for the new cells.</p>",
        }


class CrsIcansMonitoringBlock(HeadedBlock):
    """Watching for cytokine release syndrome and neurological side effects after infusion."""

    syndrome = blocks.ChoiceBlock(
        choices=[
            ("CRS", "Cytokine release syndrome (CRS)"),
            ("ICANS", "Immune effector cell-associated neurotoxicity syndrome (ICANS)"),
        ]
    )
    warning_signs = blocks.ListBlock(ListItemTextBlock("Warning sign", max_length=200), min_num=1)
    monitoring = blocks.RichTextBlock(features=rich_text.INLINE_WITH_BULLETS)
    stay_nearby_weeks = blocks.IntegerBlock(
        label="Weeks to stay nearby",
        min_value=0,
        max_value=12,
        required=False,
        help_text="Weeks the person should stay close to the treatment centre.",
    )

    def toc_heading(self, value: blocks.StructValue) -> str:
        return f"Watching for {value['syndrome']}"

    class Meta:
        label = "CRS and ICANS monitoring"
        icon = "clipboard-list"  # side effects keep the warning sign
        template = "car_t/blocks/crs_icans_monitoring_block.html"
        description = "Warning signs of CRS or ICANS and how the team watches for them."
        preview_value = {
            "syndrome": "CRS",
            "warning_signs": ["a temperature of 38°C or higher"],
            "monitoring": "<p>Your team checks your temperature and blood pressure often.</p>",
            "stay_nearby_weeks": 4,
        }


class CellTherapyStreamBlock(TherapyStreamBlock):
    """An adoptive cell therapy page body: the shared blocks plus cell-therapy blocks."""

    cell_source = CellSourceBlock(group="Cell therapy")
    manufacturing_steps = ManufacturingStepsBlock(group="Cell therapy")
    lymphodepletion = LymphodepletionBlock(group="Cell therapy")
    crs_icans_monitoring = CrsIcansMonitoringBlock(group="Cell therapy")
