"""The site's medical trust settings: the disclaimer on every page and the overdue-review banner."""

from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from immunotherapy.api.http_cache import cached_until_content_changes

DEFAULT_DISCLAIMER = (
    "This information is for education only. It is not medical advice and does not replace "
    "the advice of your own doctor or care team. Talk to them before you start, stop or change "
    "any treatment."
)


@register_setting(icon="warning")
class MedicalSiteSettings(BaseSiteSetting):
    """The medical disclaimer on every page, and how overdue reviews are shown to readers."""

    disclaimer = models.TextField(
        default=DEFAULT_DISCLAIMER,
        help_text="Shown at the foot of every page and in the API. Plain text.",
    )
    show_overdue_banner = models.BooleanField(
        "show “under review” banner",
        default=True,
        help_text="Tell readers when a page's next medical review date has passed.",
    )

    panels = [FieldPanel("disclaimer"), FieldPanel("show_overdue_banner")]

    class Meta:
        verbose_name = "medical review and disclaimer"


def site_disclaimer(site_id: int | None) -> str:
    """The medical disclaimer of a site, read once per content change rather than per page.

    Kept in the cache under the API cache's generation, which any content save (this setting
    included) moves on. Read without `for_site()`, which would create the row (and so drop cached
    API answers) in the middle of an API read.
    """

    def read() -> str:
        site_settings = MedicalSiteSettings.objects.filter(site_id=site_id).first()
        return site_settings.disclaimer if site_settings else DEFAULT_DISCLAIMER

    return cached_until_content_changes(f"medical-disclaimer:{site_id}", read)
