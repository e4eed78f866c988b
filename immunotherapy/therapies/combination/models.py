"""The combination therapy page."""

from immunotherapy.fields import StreamField
from immunotherapy.models import TherapyPage

from .blocks import CombinationStreamBlock


class CombinationTherapyPage(TherapyPage):
    """About immunotherapy given with chemotherapy, radiation, targeted or other immunotherapy."""

    body = StreamField(CombinationStreamBlock(), blank=True)

    class Meta:
        verbose_name = "combination therapy page"
