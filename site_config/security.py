"""Content-Security-Policy header: strict for readers, looser under the admin, which needs it."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


def build_policy(directives: dict[str, list[str]]) -> str:
    """Render a directive mapping as a header value."""
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Send `CSP_EDITOR` under the admin and `CSP_PUBLIC` everywhere else.

    A response that already has a policy keeps it (Wagtail's document views send a
    stricter one). Wagtail renders previews by passing a dummy request for the page's
    public URL through the middleware; that response is left alone, so the admin view
    around it (the preview panel's frame) gets the admin policy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = (
            "Content-Security-Policy-Report-Only"
            if settings.CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        self.public_policy = build_policy(settings.CSP_PUBLIC)
        self.editor_policy = build_policy(settings.CSP_EDITOR)
        self.admin_prefix = reverse("wagtailadmin_home")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "is_dummy", False):
            return response
        if "Content-Security-Policy" not in response:
            in_admin = request.path.startswith(self.admin_prefix)
            response.headers.setdefault(
                self.header, self.editor_policy if in_admin else self.public_policy
            )
        return response
