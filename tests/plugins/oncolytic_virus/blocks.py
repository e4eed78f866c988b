from wagtail import blocks

from immunotherapy.blocks import TherapyStreamBlock


class VirusBlock(blocks.StructBlock):
    """The virus used and how it is given. Ships no template: the generic one renders it."""

    virus = blocks.CharBlock(max_length=120)
    route = blocks.ChoiceBlock(
        choices=[("intratumoral", "Injected into the tumour"), ("intravenous", "Into a vein")]
    )


class OncolyticStreamBlock(TherapyStreamBlock):
    virus = VirusBlock(group="Oncolytic viruses")
