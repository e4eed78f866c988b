"""PostgreSQL full-text search that lets the database use its GIN indexes (see the package).

modelsearch's `PostgresSearchQueryCompiler.search()` matches `(title || body) @@ query`: the
concatenated vector has no index, so every indexed page's vectors are read and joined, once to
count and once to rank. For plain words the same matches are `title @@ word OR body @@ word`
for each word (all words for "and", any for "or"), which the GIN indexes on `title` and `body`
answer; ranking (`ts_rank`, the title weighted by its norm) is upstream's, unchanged.
Phrases, negations, fuzzy search and searches on chosen fields take the upstream path.
"""

from functools import reduce
from operator import and_, or_
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db.models import Q

from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchResults,
)
from modelsearch.query import PlainText
from modelsearch.utils import get_descendants_content_types_pks

from immunotherapy.search_backend.query import CleanQueryMixin
from immunotherapy.search_backend.ranked import MAX_RANKED_CANDIDATES, RankedOnceMixin

SCORE = "_search_rank"


class IndexedPostgresSearchQueryCompiler(PostgresSearchQueryCompiler):
    def search(
        self, config: Any, start: int, stop: int | None, score_field: str | None = None,
        backend: Any = None,
    ) -> Any:  # fmt: skip
        words = self.query.query_string.split() if isinstance(self.query, PlainText) else []
        if self.fields is not None or not words:
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        search_query = self.build_tsquery(self.query, config=config)
        vectors = self.get_search_vectors(search_query)
        rank_expression = self._build_rank_expression(vectors, config)
        columns = {f"_vector_{n}_": vector for n, (vector, _boost) in enumerate(vectors)}
        queryset = self.queryset.annotate(**columns).filter(self.match(config, list(columns)))
        return self._apply_ordering_and_scoring(queryset, rank_expression, start, stop, score_field)

    def match(self, config: Any, columns: list[str]) -> Q:
        """The plain-text query's words found in any of `columns` (each word, or any of them).

        A word matches as upstream builds it (split at hyphens, the last word a prefix) or as
        PostgreSQL parses the same word in a document (`plainto_tsquery`): the parser reads
        "MK-3475" as "mk" and the signed number "-3475", which upstream's split never finds.
        """

        def anywhere(query: PlainText) -> Q:
            tsqueries = [
                self.build_tsquery(query, config=config),
                SearchQuery(query.query_string, search_type="plain", config=config),
            ]
            return reduce(or_, (Q(**{col: tsq}) for col in columns for tsq in tsqueries))

        if self.query.operator == "or":
            return anywhere(self.query)
        return reduce(and_, (anywhere(PlainText(word)) for word in self.query.query_string.split()))


class RankedPostgresSearchResults(RankedOnceMixin, PostgresSearchResults):
    """Matching, counting and ranking in one query over a bounded candidate set.

    Upstream counts, then ranks, each query reading every matching page's vectors (a common
    word in 2,000 pages: 2,000 bodies read and ranked twice). Here the candidates are every
    page whose title matches (the title boost: a page named for the words is never left out)
    and the first MAX_RANKED_CANDIDATES pages that match at all; `ts_rank` orders those once.
    """

    def _plain_query(self) -> bool:
        compiler = self.query_compiler
        return (
            # Autocomplete has a compiler of its own (prefix matching): upstream's path.
            isinstance(compiler, IndexedPostgresSearchQueryCompiler)
            and compiler.order_by_relevance
            and compiler.fields is None
            and isinstance(compiler.query, PlainText)
            and bool(compiler.query.query_string.split())
        )

    def _rank_matches(self) -> list[tuple[Any, float]]:
        compiler = self.query_compiler
        config = compiler.get_config(self.backend)
        entries = IndexEntry.objects.filter(
            content_type_id__in=get_descendants_content_types_pks(compiler.queryset.model)
        ).order_by()
        named = entries.filter(compiler.match(config, ["title"])).values_list("object_id")
        found = entries.filter(compiler.match(config, ["title", "body"]))
        candidates = named.union(found.values_list("object_id")[:MAX_RANKED_CANDIDATES])
        # The candidates match already: only their vectors are read again, to rank them.
        vectors = compiler.get_search_vectors(compiler.build_tsquery(compiler.query, config))
        ranked = (
            compiler.queryset.filter(pk__in=[int(pk) for (pk,) in candidates])
            .annotate(**{SCORE: compiler._build_rank_expression(vectors, config)})
            .order_by(f"-{SCORE}", "-pk")
        )
        return list(ranked.values_list("pk", SCORE))


class IndexedPostgresSearchBackend(CleanQueryMixin, PostgresSearchBackend):
    query_compiler_class = IndexedPostgresSearchQueryCompiler
    results_class = RankedPostgresSearchResults
