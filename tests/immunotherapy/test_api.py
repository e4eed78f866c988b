"""API v2 serves only live, public pages; drafts reach a front end only through preview."""

from datetime import timedelta
from io import StringIO
from urllib.parse import parse_qs, urlparse

from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest

from immunotherapy.models import ArticleIndexPage, ArticlePage

pytestmark = [pytest.mark.django_db, pytest.mark.backends]

SLUG = "terminal-cancer-immunotherapy"


def article() -> ArticlePage:
    return ArticlePage.objects.get(slug=SLUG)


def visible(client) -> dict[str, int]:
    """Status of the article in listing, detail, find and search."""
    page = article()
    listing = client.get("/api/v2/pages/", {"type": "immunotherapy.ArticlePage"}).json()
    search = client.get("/api/v2/pages/", {"search": "immunotherapy"}).json()
    return {
        "listing": int(page.pk in [item["id"] for item in listing["items"]]),
        "search": int(page.pk in [item["id"] for item in search["items"]]),
        "detail": client.get(f"/api/v2/pages/{page.pk}/").status_code,
        "find": client.get(
            "/api/v2/pages/find/", {"html_path": "/articles/terminal-cancer-immunotherapy/"}
        ).status_code,
    }


def test_live_page_is_everywhere(client, demo_content) -> None:
    assert visible(client) == {"listing": 1, "search": 1, "detail": 200, "find": 302}


def test_unpublished_page_is_nowhere(client, demo_content) -> None:
    article().unpublish()
    assert visible(client) == {"listing": 0, "search": 0, "detail": 404, "find": 404}


def test_expired_page_is_nowhere_even_before_the_scheduler_runs(client, demo_content) -> None:
    ArticlePage.objects.filter(slug=SLUG).update(expire_at=timezone.now() - timedelta(minutes=1))
    cache.clear()
    assert visible(client) == {"listing": 0, "search": 0, "detail": 404, "find": 404}


def test_view_restricted_page_is_nowhere(client, demo_content) -> None:
    PageViewRestriction.objects.create(page=article(), restriction_type=PageViewRestriction.LOGIN)
    assert visible(client) == {"listing": 0, "search": 0, "detail": 404, "find": 404}


def article_listing(client) -> tuple[int, list[int]]:
    """The articles' listing as a signed-in reader would get it (no shared response)."""
    if "sessionid" not in client.cookies:
        client.cookies["sessionid"] = "not-a-session"
    data = client.get("/api/v2/pages/", {"type": "immunotherapy.ArticlePage"}).json()
    return data["meta"]["total_count"], [item["id"] for item in data["items"]]


def test_the_listing_count_drops_when_a_page_expires_with_no_other_change(
    client, demo_content, monkeypatch
) -> None:
    soon = timezone.now() + timedelta(hours=1)
    ArticlePage.objects.filter(slug=SLUG).update(expire_at=soon)
    cache.clear()
    count, ids = article_listing(client)
    assert article().pk in ids
    later = soon + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert article_listing(client) == (count - 1, [pk for pk in ids if pk != article().pk])


def test_the_listing_count_is_each_readers_own(client, admin_client, demo_content) -> None:
    count, ids = article_listing(client)
    PageViewRestriction.objects.create(page=article(), restriction_type=PageViewRestriction.LOGIN)
    cache.clear()
    assert article_listing(admin_client)[0] == count
    assert article_listing(client) == (count - 1, [pk for pk in ids if pk != article().pk])
    assert article_listing(admin_client)[0] == count


def test_find_keeps_the_requested_fields(client, demo_content) -> None:
    response = client.get(
        "/api/v2/pages/find/",
        {"html_path": "/articles/terminal-cancer-immunotherapy/", "fields": "_,intro"},
        follow=True,
    )
    assert response.status_code == 200
    data = response.json()
    assert data["intro"].startswith("Terminal cancer diagnosis")
    assert "body" not in data
    assert "author" not in data


def test_draft_never_leaks_into_the_api(client, demo_content) -> None:
    page = article()
    page.title = "Unreviewed draft title"
    page.save_revision()
    assert client.get(f"/api/v2/pages/{page.pk}/").json()["title"] != "Unreviewed draft title"


class TestHeadlessPreview:
    @pytest.fixture
    def editor_client(self, client, admin_user, settings, demo_content):
        settings.WAGTAIL_HEADLESS_PREVIEW = {
            "CLIENT_URLS": {"default": "https://app.example/preview"},
            "REDIRECT_ON_PREVIEW": False,
        }
        from wagtail_headless_preview.settings import headless_preview_settings

        headless_preview_settings.reload()
        client.force_login(admin_user)
        yield client
        headless_preview_settings.reload()

    def preview_url_for_draft(self, editor_client) -> str:
        page = article()
        page.title = "Draft under review"
        page.save_revision()
        edit_url = f"/admin/pages/{page.pk}/edit/preview/"
        post_data = {
            "title": "Draft under review",
            "slug": page.slug,
            "intro": page.intro,
            "author": page.author,
            "body-count": "0",
            "related_therapies-TOTAL_FORMS": "0",
            "related_therapies-INITIAL_FORMS": "0",
            "change_notes-TOTAL_FORMS": "0",
            "change_notes-INITIAL_FORMS": "0",
        }
        assert editor_client.post(edit_url, post_data).json()["is_valid"]
        response = editor_client.get(edit_url, {"mode": "front-end"})
        assert response.status_code == 200
        return response.context["preview_url"]

    def test_editor_sees_the_front_end_mode_and_the_draft(self, editor_client, client) -> None:
        assert ("front-end", "Front-end app") in article().preview_modes
        preview_url = self.preview_url_for_draft(editor_client)
        assert preview_url.startswith("https://app.example/preview/?")
        params = {k: v[0] for k, v in parse_qs(urlparse(preview_url).query).items()}
        assert params["content_type"] == "immunotherapy.articlepage"

        client.logout()
        response = client.get("/api/v2/page_preview/", params)
        assert response.status_code == 200
        assert response.json()["title"] == "Draft under review"
        # The published page is unchanged.
        assert client.get(f"/api/v2/pages/{article().pk}/").json()["title"] != (
            "Draft under review"
        )

    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"content_type": "immunotherapy.articlepage", "token": "forged:token"},
            {"content_type": "auth.user", "token": "x"},
            {"content_type": "nonsense", "token": "x"},
        ],
    )
    def test_bad_preview_requests_get_400(self, client, db, params) -> None:
        response = client.get("/api/v2/page_preview/", params)
        assert response.status_code == 400
        assert response.json()["message"]

    def test_no_front_end_mode_without_a_client_url(self, settings, db) -> None:
        from wagtail_headless_preview.settings import headless_preview_settings

        settings.WAGTAIL_HEADLESS_PREVIEW = {"CLIENT_URLS": {}}
        headless_preview_settings.reload()
        assert [mode for mode, _ in ArticleIndexPage().preview_modes] == [""]


def test_api_v3_token_from_the_management_command(client, admin_user) -> None:
    out = StringIO()
    call_command("api_tokens", "create", "--user", admin_user.username, "--name", "ci", stdout=out)
    token = out.getvalue().strip()
    assert client.get("/api/v3/whoami/").status_code == 401
    response = client.get("/api/v3/whoami/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["user"]["username"] == admin_user.username
    assert client.get("/api/v3/whoami/", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_api_roots_list_their_endpoints(client) -> None:
    v2 = client.get("/api/v2/")
    assert v2.status_code == 200
    assert v2.json()["endpoints"] == {
        name: f"http://testserver/api/v2/{name}/"
        for name in ("pages", "images", "documents", "page_preview", "comments")
    }
    v3 = client.get("/api/v3/").json()
    assert v3["openapi"] == "http://testserver/api/v3/openapi.json"
    assert v3["docs"] == "http://testserver/api/v3/docs/"
    assert {"pages", "images", "documents", "snippets", "whoami"} <= set(v3["endpoints"])
    assert "openapi.json" not in v3["endpoints"]
    # Each listed endpoint answers (the anonymous ones with data, whoami asking for a login).
    assert client.get(v2.json()["endpoints"]["pages"]).status_code == 200
    assert client.get(v3["endpoints"]["pages"]).status_code in (200, 401, 403)


def test_api_roots_refuse_writes(client) -> None:
    assert client.post("/api/v2/").status_code == 405
