from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.search import index

from immunotherapy.fields import StreamField
from immunotherapy.models import TherapyPage

from .blocks import OncolyticStreamBlock


class OncolyticVirusPage(TherapyPage):
    """About viruses that infect and break open cancer cells."""

    virus_family = models.CharField(max_length=120, blank=True)
    body = StreamField(OncolyticStreamBlock(), blank=True)

    content_panels = [*TherapyPage.content_panels, FieldPanel("virus_family")]
    search_fields = [*TherapyPage.search_fields, index.SearchField("virus_family")]
    api_fields = [*TherapyPage.api_fields, APIField("virus_family", writable=True)]
