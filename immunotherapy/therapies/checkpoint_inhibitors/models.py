"""The checkpoint inhibitor therapy page."""

from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.search import index

from immunotherapy.fields import StreamField
from immunotherapy.models import TherapyPage

from .blocks import CheckpointStreamBlock


class CheckpointInhibitorPage(TherapyPage):
    """About medicines that release the brakes on the immune system (PD-1, PD-L1, CTLA-4, LAG-3)."""

    how_given = models.TextField(
        blank=True,
        help_text="One or two plain sentences on how and how often the medicines are given,"
        " shown above the page body.",
    )
    body = StreamField(CheckpointStreamBlock(), blank=True)

    content_panels = [
        *TherapyPage.content_panels[:2],
        FieldPanel("how_given"),
        *TherapyPage.content_panels[2:],
    ]
    search_fields = [*TherapyPage.search_fields, index.SearchField("how_given")]
    api_fields = [*TherapyPage.api_fields, APIField("how_given", writable=True)]

    class Meta:
        verbose_name = "checkpoint inhibitor page"
