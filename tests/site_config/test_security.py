"""Security headers: a strict Content-Security-Policy for readers, one the admin works under.

The admin's needs come from Wagtail's own templates (see docs/deploy.md): inline <script>
tags for inline panels and date pickers. These tests check the pages we serve against the
policy each is sent with (and a real browser run found no violation: docs/deploy.md).
"""

from html.parser import HTMLParser

from django.core.files.base import ContentFile

from wagtail.documents.models import Document

import pytest

from immunotherapy.models import ArticlePage

# Browsers never run these: data blocks (JSON-LD structured data, JSON config, templates).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class Resources(HTMLParser):
    """Collect what a browser would load or run from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("src"):
                self.urls.append(attributes["src"])
            elif attributes.get("type") not in DATA_SCRIPT_TYPES:
                self._in_inline_script = True
        elif tag == "link" and attributes.get("rel") in {"stylesheet", "icon", "preload"}:
            self.urls.append(attributes["href"])
        elif tag == "img" and attributes.get("src"):
            self.urls.append(attributes["src"])

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.inline_scripts += 1
            self._in_inline_script = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False


def parse(response) -> Resources:
    resources = Resources()
    resources.feed(response.content.decode())
    return resources


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = (item.split() for item in header.split(";") if item.strip())
    return {name: sources for name, *sources in parts}


def same_origin(url: str) -> bool:
    """Relative, protocol-relative to this host (Wagtail's user bar), or inline data."""
    if url.startswith("//"):
        return url.startswith("//testserver/")
    return url.startswith(("/", "data:"))


@pytest.fixture
def article(demo_content) -> ArticlePage:
    return ArticlePage.objects.live().get(slug="terminal-cancer-immunotherapy")


def test_readers_get_a_strict_policy_and_the_page_still_renders(client, article) -> None:
    response = client.get(article.url)
    assert response.status_code == 200
    assert article.title.encode() in response.content
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    resources = parse(response)
    assert resources.inline_scripts == 0
    assert resources.urls, "the page loads its stylesheets"
    assert all(same_origin(url) for url in resources.urls), resources.urls


def test_the_other_protective_headers_are_sent(client, home_page) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert response["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}


def test_the_admin_gets_the_editor_policy_and_works_under_it(admin_client, article) -> None:
    for url in ("/admin/", f"/admin/pages/{article.pk}/edit/", "/admin/images/"):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        resources = parse(response)
        if resources.inline_scripts:
            assert "'unsafe-inline'" in policy["script-src"], url
        assert all(same_origin(url) for url in resources.urls), resources.urls
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"], "the live preview frames our own pages"


def test_the_page_editor_really_has_inline_scripts(admin_client, article) -> None:
    """Keeps the editor policy honest: drop 'unsafe-inline' when Wagtail no longer needs it."""
    response = admin_client.get(f"/admin/pages/{article.pk}/edit/")
    assert parse(response).inline_scripts > 0


def test_previews_get_the_admin_policy_so_the_preview_panel_can_frame_them(
    admin_client, article
) -> None:
    response = admin_client.get(f"/admin/pages/{article.pk}/view_draft/")
    assert response.status_code == 200
    assert article.title.encode() in response.content
    assert directives(response)["frame-ancestors"] == ["'self'"]


def test_the_user_bar_works_under_the_readers_policy(admin_client, article) -> None:
    """Editors see Wagtail's user bar on public pages; it needs nothing the strict policy denies."""
    response = admin_client.get(article.url)
    assert response.status_code == 200
    assert b"wagtail-userbar" in response.content
    assert directives(response)["script-src"] == ["'self'"]
    resources = parse(response)
    assert resources.inline_scripts == 0
    assert all(same_origin(url) for url in resources.urls), resources.urls


def test_the_admin_login_page_works_for_anonymous_visitors(client, db) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert all(same_origin(url) for url in parse(response).urls)


def test_api_docs_load_only_our_own_scripts(client, db) -> None:
    response = client.get("/api/v3/docs/")
    assert response.status_code == 200
    resources = parse(response)
    assert resources.urls and all(same_origin(url) for url in resources.urls), resources.urls
    assert resources.inline_scripts == 0
    assert directives(response)["script-src"] == ["'self'"]


def test_a_document_keeps_the_stricter_policy_wagtail_gives_it(client, db) -> None:
    document = Document.objects.create(
        title="Leaflet", file=ContentFile(b"<script>alert(1)</script>", name="leaflet.txt")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"
    document.file.delete(save=False)


def test_report_only_mode(client, home_page, settings) -> None:
    settings.CSP_REPORT_ONLY = True
    response = client.get("/")
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]
