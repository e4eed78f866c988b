from wagtail import blocks

from immunotherapy.blocks import HeadedBlock, TherapyStreamBlock


class VirusBlock(HeadedBlock):
    """The virus used and how it is given, under the virus's name (listed in "On this page").
    Ships no template: the generic rendering shows that heading above its fields."""

    virus = blocks.CharBlock(max_length=120)
    route = blocks.ChoiceBlock(
        choices=[("intratumoral", "Injected into the tumour"), ("intravenous", "Into a vein")]
    )

    def toc_heading(self, value: blocks.StructValue) -> str:
        return value["virus"]

    class Meta:
        icon = "crosshairs"
        description = "A virus that infects and kills cancer cells, and how it is given."
        preview_value = {"virus": "Talimogene laherparepvec (T-VEC)", "route": "intratumoral"}


class OncolyticStreamBlock(TherapyStreamBlock):
    virus = VirusBlock(group="Oncolytic viruses")
