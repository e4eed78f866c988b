"""The seed article as a reader sees it, and in the API."""

import pytest

from tests.immunotherapy.test_demo_content import SEED_HEADINGS, SEED_TITLE

pytestmark = pytest.mark.django_db

ARTICLE_URL = "/articles/terminal-cancer-immunotherapy/"


def test_article_renders_title_and_all_section_headings(client, demo_content) -> None:
    response = client.get(ARTICLE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{SEED_TITLE}</h1>" in html
    for heading in SEED_HEADINGS:
        assert heading in html
    assert '<h2 id="cancer-vaccines">Cancer Vaccines</h2>' in html
    assert '<a href="#cancer-vaccines">Cancer Vaccines</a>' in html  # table of contents
    assert "Immunotherapy Guide editorial team" in html


def test_article_index_lists_the_article(client, demo_content) -> None:
    response = client.get("/articles/")
    assert response.status_code == 200
    assert ARTICLE_URL.encode() in response.content


def test_api_v2_lists_the_article_with_html_rich_text(client, demo_content) -> None:
    response = client.get("/api/v2/pages/", {"type": "immunotherapy.ArticlePage", "fields": "*"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["title"] for item in items] == [SEED_TITLE]
    sections = [block for block in items[0]["body"] if block["type"] == "section"]
    assert [s["value"]["heading"] for s in sections] == SEED_HEADINGS
    assert sections[0]["value"]["anchor"] == "understanding-immunotherapy"
    assert sections[0]["value"]["body"].startswith("<p>Immunotherapy is a revolutionary")


def test_api_v2_pages_listing_includes_the_article(client, demo_content) -> None:
    titles = [item["title"] for item in client.get("/api/v2/pages/").json()["items"]]
    assert SEED_TITLE in titles


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_api_v2_media_endpoints_answer(client, db, endpoint: str) -> None:
    response = client.get(f"/api/v2/{endpoint}/")
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] == 0


def test_api_v3_serves_its_openapi_document_and_pages(client, demo_content) -> None:
    spec = client.get("/api/v3/openapi.json")
    assert spec.status_code == 200
    assert spec.json()["openapi"].startswith("3.")
    pages = client.get("/api/v3/pages/")
    assert pages.status_code == 200
    assert SEED_TITLE in pages.content.decode()
