"""The home page as readers and editors meet it."""

from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils

import pytest

from home.models import HomePage
from immunotherapy.models import ArticleIndexPage

pytestmark = pytest.mark.django_db


def test_home_page_renders_hero_and_links_the_seed_article(client, demo_content) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Understanding cancer immunotherapy</h1>" in html
    assert 'href="/articles/terminal-cancer-immunotherapy/"' in html
    assert 'href="/articles/"' in html  # main navigation from the page tree
    assert 'href="/static/css/site.css"' in html


def test_home_page_without_articles_says_so(client, home_page) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"No articles have been published yet." in response.content


def test_draft_articles_are_not_listed(client, demo_content) -> None:
    from immunotherapy.models import ArticlePage

    ArticlePage.objects.get().unpublish()
    assert b"terminal-cancer-immunotherapy" not in client.get("/").content


def test_home_is_the_only_page_allowed_under_the_root(home_page) -> None:
    root = Page.get_first_root_node()
    assert HomePage.can_create_at(root) is False  # max_count = 1, and one exists
    assert ArticleIndexPage.can_create_at(home_page)
    assert not ArticleIndexPage.can_create_at(root)


class TestParentRules(WagtailTestUtils):
    def test_allowed_subpages(self) -> None:
        from immunotherapy.models import ArticlePage

        assert ArticlePage.allowed_parent_page_models() == [ArticleIndexPage]
        assert ArticlePage.allowed_subpage_models() == []
