"""Content-Security-Policy header: strict for readers, looser where Wagtail's editor UI runs."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


def build_policy(directives: dict[str, list[str]]) -> str:
    """Render a directive mapping as a header value."""
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Set the reader or editor policy on every response that has none of its own.

    Wagtail's image and document views set a stricter policy themselves; it is kept.
    Placed first in MIDDLEWARE, so by the time it looks at `request.user` the
    session middleware has already decided the response's `Vary` header.
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
        if "Content-Security-Policy" not in response:
            policy = self.editor_policy if self.is_editor(request) else self.public_policy
            response.headers.setdefault(self.header, policy)
        return response

    def is_editor(self, request: HttpRequest) -> bool:
        if request.path.startswith(self.admin_prefix):
            return True
        # Only someone with a session can be signed in; readers without one cost no query.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))
