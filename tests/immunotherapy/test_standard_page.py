"""Standard pages: plain pages such as “About us”, under the home page or the article index."""

from django.test import Client

import pytest

from home.models import HomePage
from immunotherapy.models import ArticleIndexPage, ArticlePage, StandardPage


@pytest.mark.django_db
def test_standard_pages_live_under_home_and_the_article_index():
    assert StandardPage.allowed_parent_page_models() == [HomePage, ArticleIndexPage]
    assert StandardPage.allowed_subpage_models() == []
    assert StandardPage in ArticleIndexPage.allowed_subpage_models()
    assert ArticlePage in ArticleIndexPage.allowed_subpage_models()


@pytest.mark.django_db
def test_a_standard_page_renders_and_is_in_the_api(home_page):
    page = home_page.add_child(
        instance=StandardPage(
            title="About us",
            slug="about",
            intro="Who we are.",
            body=[
                {
                    "type": "section",
                    "value": {"heading": "Our team", "anchor": "", "body": "<p>Nurses.</p>"},
                },
                {"type": "quote", "value": {"quote": "Kind and clear.", "attribution": "A reader"}},
            ],
        )
    )
    html = Client().get("/about/").content.decode()
    assert "Our team" in html and "Kind and clear." in html and "A reader" in html
    data = Client().get(f"/api/v2/pages/{page.pk}/").json()
    assert data["intro"] == "Who we are."
    assert [block["type"] for block in data["body"]] == ["section", "quote"]
    assert data["comment_count"] == 0
