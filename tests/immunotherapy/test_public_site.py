"""Site-wide reader features: search, sitemap, article feed, meta tags and navigation."""

import pytest

pytestmark = pytest.mark.django_db


def test_search_finds_live_pages_only(client, demo_content) -> None:
    from immunotherapy.models import ArticlePage

    response = client.get("/search/", {"q": "checkpoint"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "/articles/terminal-cancer-immunotherapy/" in html
    ArticlePage.objects.get(slug="terminal-cancer-immunotherapy").unpublish()
    html = client.get("/search/", {"q": "checkpoint"}).content.decode()
    assert "/articles/terminal-cancer-immunotherapy/" not in html


def test_empty_search_shows_the_form(client, home_page) -> None:
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_sitemap_lists_the_article(client, demo_content) -> None:
    response = client.get("/sitemap-pages.xml")
    assert response.status_code == 200
    assert "/articles/terminal-cancer-immunotherapy/</loc>" in response.content.decode()


def test_article_feed_lists_articles(client, demo_content) -> None:
    response = client.get("/feeds/articles/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    assert "Terminal Cancer: Leveraging the Immune System" in body
    assert "/articles/terminal-cancer-immunotherapy/" in body


def test_article_has_description_and_open_graph_tags(client, demo_content) -> None:
    html = client.get("/articles/terminal-cancer-immunotherapy/").content.decode()
    assert '<meta name="description" content="How immunotherapy uses' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Terminal Cancer' in html
    assert 'rel="canonical" href="http://localhost/articles/terminal-cancer-immunotherapy/"' in html
    assert 'href="/feeds/articles/"' in html
