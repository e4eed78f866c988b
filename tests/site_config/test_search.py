"""Search uses the database's own full-text engine: PostgreSQL's on PostgreSQL, FTS5 on SQLite."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.search.backends import get_search_backend

import pytest

from immunotherapy.models import ArticlePage
from tests.helpers import run_python

pytestmark = pytest.mark.backends

EXPECTED = {
    "postgresql": ("IndexedPostgresSearchBackend", "@@"),  # immunotherapy/search_backend
    "sqlite": ("RankedSQLiteSearchBackend", " MATCH "),
}


@pytest.mark.django_db
def test_the_backend_matches_the_database() -> None:
    backend_name, _ = EXPECTED[connection.vendor]
    assert type(get_search_backend()).__name__ == backend_name


def test_search_finds_the_seed_article_with_the_database_engine(demo_content) -> None:
    _, operator = EXPECTED[connection.vendor]
    with CaptureQueriesContext(connection) as queries:
        results = list(ArticlePage.objects.live().search("checkpoint inhibitors"))
    assert [page.slug for page in results] == ["terminal-cancer-immunotherapy"]
    assert any(operator in query["sql"] for query in queries.captured_queries), [
        q["sql"] for q in queries.captured_queries
    ]


def test_search_for_an_absent_word_finds_nothing(demo_content) -> None:
    assert list(ArticlePage.objects.live().search("xylophone")) == []


def test_opensearch_url_switches_the_backend() -> None:
    code = (
        "b = settings.WAGTAILSEARCH_BACKENDS['default']; print(b['BACKEND'], b['URLS'], b['INDEX'])"
    )
    result = run_python(
        code, "site_config.settings.dev", {"OPENSEARCH_URL": "https://search.internal:9200"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "wagtail.search.backends.opensearch2",
        "['https://search.internal:9200']",
        "immunotherapy",
    ]
