"""Blocks only checkpoint inhibitor pages need."""

from wagtail import blocks

from immunotherapy.blocks import ExpandedSnippetChooserBlock, HeadedBlock, TherapyStreamBlock


class CheckpointTargetBlock(HeadedBlock):
    """One checkpoint protein, what it normally does and the medicines that block it."""

    target = blocks.ChoiceBlock(
        choices=[("PD-1", "PD-1"), ("PD-L1", "PD-L1"), ("CTLA-4", "CTLA-4"), ("LAG-3", "LAG-3")]
    )
    role = blocks.TextBlock(help_text="What this checkpoint normally does, in plain words.")
    agents = blocks.ListBlock(ExpandedSnippetChooserBlock("immunotherapy.Agent"), required=False)

    def toc_heading(self, value: blocks.StructValue) -> str:
        return value["target"]

    class Meta:
        icon = "lock-open"
        template = "checkpoint_inhibitors/blocks/checkpoint_target_block.html"
        description = "A checkpoint protein and the medicines that block it."
        preview_value = {
            "target": "PD-1",
            "role": "PD-1 is a switch on T cells that turns them off.",
        }


class CheckpointStreamBlock(TherapyStreamBlock):
    """A checkpoint inhibitor page body: the shared blocks plus checkpoint targets."""

    checkpoint_target = CheckpointTargetBlock(group="Checkpoint inhibitors")
