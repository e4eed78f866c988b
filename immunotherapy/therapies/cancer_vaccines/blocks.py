"""Blocks only cancer vaccine pages need."""

from wagtail import blocks

from immunotherapy import rich_text
from immunotherapy.blocks import ExpandedSnippetChooserBlock, HeadedBlock, TherapyStreamBlock


class VaccinePlatformBlock(HeadedBlock):
    """A vaccine: how it is built and whether it prevents or treats cancer."""

    name = blocks.CharBlock(max_length=200)
    platform = blocks.ChoiceBlock(
        choices=[
            ("peptide", "Peptide or protein"),
            ("mRNA", "mRNA"),
            ("dendritic-cell", "Dendritic cell (cell-based)"),
            ("viral-vector", "Viral vector"),
            ("virus-like-particle", "Virus-like particle"),
        ]
    )
    use = blocks.ChoiceBlock(
        choices=[
            ("preventive", "Preventive: stops a cancer-causing infection"),
            ("therapeutic", "Therapeutic: treats a cancer that is already there"),
        ]
    )
    description = blocks.RichTextBlock(features=rich_text.INLINE_WITH_BULLETS)
    agent = ExpandedSnippetChooserBlock("immunotherapy.Agent", required=False)

    def toc_heading(self, value: blocks.StructValue) -> str:
        return value["name"]

    class Meta:
        icon = "pick"
        template = "cancer_vaccines/blocks/vaccine_platform_block.html"
        description = "A vaccine, how it is made and whether it prevents or treats cancer."
        preview_value = {
            "name": "HPV vaccine",
            "platform": "virus-like-particle",
            "use": "preventive",
            "description": "<p>Protects against the viruses behind most cervical cancers.</p>",
        }


class VaccineDoseBlock(blocks.StructBlock):
    """One dose in a schedule."""

    label = blocks.CharBlock(max_length=80)
    timing = blocks.CharBlock(max_length=200)


class VaccineScheduleBlock(HeadedBlock):
    """When each dose is given."""

    heading = blocks.CharBlock(max_length=200, default="Schedule")
    doses = blocks.ListBlock(VaccineDoseBlock(), min_num=1)
    note = blocks.TextBlock(required=False)

    class Meta:
        icon = "date"
        template = "cancer_vaccines/blocks/vaccine_schedule_block.html"
        description = "The doses of a vaccine and when they are given."
        preview_value = {
            "heading": "Schedule",
            "doses": [
                {"label": "Dose 1", "timing": "Week 0"},
                {"label": "Dose 2", "timing": "Week 2"},
            ],
        }


class VaccineStreamBlock(TherapyStreamBlock):
    """A cancer vaccine page body: the shared blocks plus vaccine blocks."""

    vaccine_platform = VaccinePlatformBlock(group="Vaccines")
    vaccine_schedule = VaccineScheduleBlock(group="Vaccines")
