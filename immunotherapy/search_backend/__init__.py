"""The site's search backend: Wagtail's database backend, with SQLite ranking done in one pass.

Configured as `WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "immunotherapy.search_backend"`.
Like `wagtail.search.backends.database` (modelsearch's), it picks the implementation from the
database vendor: PostgreSQL gets Wagtail's PostgreSQL full-text backend (ranked by the database
with `ts_rank`) matching through its GIN indexes (`postgres.py`), and SQLite with FTS5 gets
`sqlite.RankedSQLiteSearchBackend`.

On SQLite, modelsearch's `SQLiteSearchQueryCompiler.search()` orders by relevance through a
scalar subquery running the FTS5 MATCH and `bm25()` again for every candidate row, so a word in
2,000 pages costs 2,000 full-text searches (seconds). There the MATCH runs once, ranked by FTS5's
own `bm25()` with the title weighted above the body, over at most `ranked.MAX_RANKED_CANDIDATES`
matches, and only the page of results asked for is loaded.

Both search for `query.clean_query()` of the text typed, wherever it comes from (site search,
API v2 and v3, the admin): no control characters or double quotes, at most 32 words.
"""

from typing import Any

from django.db import connection

from modelsearch.backends import database


def SearchBackend(params: dict[str, Any]) -> Any:
    """The vendor's database backend, with the ranked SQLite results where SQLite is used."""
    backend = database.SearchBackend(params)  # also finds out whether SQLite has FTS5
    if connection.vendor == "sqlite" and database.USE_SQLITE_FTS:
        # Each vendor's backend is imported only on its database, as modelsearch's own
        # `database.SearchBackend` does: their modules import that vendor's driver-level code.
        from immunotherapy.search_backend.sqlite import RankedSQLiteSearchBackend

        return RankedSQLiteSearchBackend(params)
    if connection.vendor == "postgresql":
        from immunotherapy.search_backend.postgres import IndexedPostgresSearchBackend

        return IndexedPostgresSearchBackend(params)
    return backend
