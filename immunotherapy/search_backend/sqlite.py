"""SQLite FTS5 search with ranking in one pass (see the package docstring).

Imported only on SQLite: modelsearch's SQLite models exist only there.
"""

from typing import Any

from django.db.models import FloatField
from django.db.models.expressions import RawSQL

from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import (
    MatchExpression,
    SQLiteFTSIndexEntry,
    normalize,
)
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks

from immunotherapy.search_backend.query import CleanQueryMixin
from immunotherapy.search_backend.ranked import MAX_RANKED_CANDIDATES, RankedOnceMixin

TITLE_WEIGHT = 10.0  # FTS5 bm25() weight of the title column; the body weighs 1


class RankedSQLiteSearchResults(RankedOnceMixin, sqlite.SQLiteSearchResults):
    """Results ranked once per query: matching ids in bm25 order, then the asked-for slice."""

    def _plain_query(self) -> bool:
        """True when the one-pass ranking applies (a positive, relevance-ordered query)."""
        query = normalize(self.query_compiler.query)
        return self.query_compiler.order_by_relevance and not isinstance(query, MatchAll | Not)

    def _rank_matches(self) -> list[tuple[Any, float]]:
        """(object id, score) of the matches the source queryset allows, best first."""
        compiler = self.query_compiler
        config = compiler.get_config(self.backend)
        search_query = compiler.build_search_query(normalize(compiler.query), config=config)
        # FTS5's bm25() with column weights (autocomplete, body, title): the title counts
        # TITLE_WEIGHT times, so a page named for the words comes before one mentioning them.
        table = SQLiteFTSIndexEntry._meta.db_table
        rank = RawSQL(f"bm25({table}, 1.0, 1.0, %s)", [TITLE_WEIGHT], FloatField())  # noqa: S611
        matches = (
            SQLiteFTSIndexEntry.objects.filter(
                MatchExpression(compiler.fields or compiler.FTS_TABLE_FIELDS, search_query),
                index_entry__content_type__in=get_descendants_content_types_pks(
                    compiler.queryset.model
                ),
            )
            .annotate(score=rank)
            .order_by("score")  # bm25() is negative: lower is more relevant
            .values_list("index_entry__object_id", "score")[:MAX_RANKED_CANDIDATES]
        )
        scores = {str(object_id): score for object_id, score in matches}
        allowed = compiler.queryset.filter(pk__in=list(scores)).values_list("pk", flat=True)
        ranked = [(pk, scores[str(pk)]) for pk in allowed]
        return sorted(ranked, key=lambda item: (item[1], -item[0]))


class RankedSQLiteSearchBackend(CleanQueryMixin, sqlite.SQLiteSearchBackend):
    results_class = RankedSQLiteSearchResults
