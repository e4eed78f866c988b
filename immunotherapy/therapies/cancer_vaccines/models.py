"""The cancer vaccine page."""

from immunotherapy.fields import StreamField
from immunotherapy.models import TherapyPage

from .blocks import VaccineStreamBlock


class CancerVaccinePage(TherapyPage):
    """About vaccines that prevent cancer-causing infections or train immunity against cancer."""

    body = StreamField(VaccineStreamBlock(), blank=True)

    class Meta:
        verbose_name = "cancer vaccine page"
