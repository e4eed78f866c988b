"""Search results ranked once per query, for both database backends (see the package)."""

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

if TYPE_CHECKING:
    # The mixin goes before modelsearch's results class, whose attributes it uses (untyped).
    from modelsearch.backends.base import BaseSearchResults as _SearchResults
else:
    _SearchResults = object

# The most matches ranked for one query: beyond this a reader refines the words anyway, and the
# cost stays bounded however many pages share a common word.
MAX_RANKED_CANDIDATES = 1_000


class RankedOnceMixin(_SearchResults):
    """Results whose matches are ranked by one query, then only the asked-for slice is loaded.

    Subclasses give `_plain_query()` (whether the one-pass ranking applies) and
    `_rank_matches()` ((object id, score) of at most MAX_RANKED_CANDIDATES matches the source
    queryset allows, best first). The count is the number ranked; every page of results is a
    slice of the same ranking, shared between the clones Django's paginator makes.
    """

    _ranked: list[tuple[Any, float]] | None = None

    def _plain_query(self) -> bool:
        raise NotImplementedError

    def _rank_matches(self) -> list[tuple[Any, float]]:
        raise NotImplementedError

    def _ranked_ids(self) -> list[tuple[Any, float]]:
        if self._ranked is None:
            self._ranked = self._rank_matches()
        return self._ranked

    def _do_search(self) -> list[Any]:
        if not self._plain_query():
            return super()._do_search()
        ranked = self._ranked_ids()[self.start : self.stop]
        objects: QuerySet = self.query_compiler.queryset.filter(pk__in=[pk for pk, _ in ranked])
        by_pk = {obj.pk: obj for obj in objects}
        results = []
        for pk, score in ranked:
            if pk in by_pk:
                if self._score_field:
                    setattr(by_pk[pk], self._score_field, score)
                results.append(by_pk[pk])
        return results

    def _do_count(self) -> int:
        if not self._plain_query():
            return super()._do_count()
        return len(self._ranked_ids()[self.start : self.stop])

    def _clone(self) -> Any:
        clone = super()._clone()
        clone._ranked = self._ranked  # slices of one result set share its ranking
        return clone
