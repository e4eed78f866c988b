"""The adoptive cell therapy page."""

from immunotherapy.fields import StreamField
from immunotherapy.models import TherapyPage

from .blocks import CellTherapyStreamBlock


class CellTherapyPage(TherapyPage):
    """About treatments made from immune cells: CAR-T, TIL and TCR-T."""

    body = StreamField(CellTherapyStreamBlock(), blank=True)

    class Meta:
        verbose_name = "adoptive cell therapy page"
