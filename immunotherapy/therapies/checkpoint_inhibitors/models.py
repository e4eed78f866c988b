"""The checkpoint inhibitor therapy page."""

from immunotherapy.fields import StreamField
from immunotherapy.models import TherapyPage

from .blocks import CheckpointStreamBlock


class CheckpointInhibitorPage(TherapyPage):
    """About medicines that release the brakes on the immune system (PD-1, PD-L1, CTLA-4, LAG-3)."""

    body = StreamField(CheckpointStreamBlock(), blank=True)

    class Meta:
        verbose_name = "checkpoint inhibitor page"
