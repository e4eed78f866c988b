"""Headless preview: editors see a draft on the front-end app as well as on this site.

Pages mixing in `FrontEndPreviewMixin` get a second preview mode, "Front-end app",
when `WAGTAIL_HEADLESS_PREVIEW["CLIENT_URLS"]` is configured (environment
variable `HEADLESS_PREVIEW_CLIENT_URLS`). The front end receives
`?content_type=<app.model>&token=<token>` and fetches the draft from
`/api/v2/page_preview/` with the same two parameters.
"""

from django.http import HttpRequest, HttpResponse

from wagtail.models import Page

from wagtail_headless_preview.models import HeadlessPreviewMixin
from wagtail_headless_preview.settings import headless_preview_settings

FRONT_END_MODE = "front-end"


class FrontEndPreviewMixin(HeadlessPreviewMixin):
    """Adds a "Front-end app" preview mode beside the site's own HTML preview."""

    @property
    def preview_modes(self) -> list[tuple[str, str]]:
        modes = list(super().preview_modes)
        if headless_preview_settings.CLIENT_URLS:
            modes.append((FRONT_END_MODE, "Front-end app"))
        return modes

    def serve_preview(self, request: HttpRequest, preview_mode: str) -> HttpResponse:
        if preview_mode == FRONT_END_MODE:
            return HeadlessPreviewMixin.serve_preview(self, request, preview_mode)
        return Page.serve_preview(self, request, preview_mode)
