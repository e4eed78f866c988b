from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEED_EXPORT = FIXTURES / "seed-article.xml"
SITE_EXPORT = FIXTURES / "site-1.1.xml"
UPLOADS = FIXTURES / "uploads"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def seed_text() -> str:
    return SEED_EXPORT.read_text(encoding="utf-8")


@pytest.fixture
def article_index(home_page):
    """The home page and an article index under it: where imports go by default."""
    from immunotherapy.models import ArticleIndexPage

    return home_page.add_child(instance=ArticleIndexPage(title="Articles", slug="articles"))
