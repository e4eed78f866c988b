"""What readers and editors type, made into a query both database engines accept."""

import re
from typing import Any

from modelsearch.query import MATCH_NONE

# The most words and characters searched for: enough for any real question, and few enough that
# the query modelsearch builds (one nested expression per word) stays small and shallow.
MAX_QUERY_WORDS = 32
MAX_QUERY_LENGTH = 255
# Control characters (NUL among them: no database takes it in a string) and double quotes, which
# end FTS5's quoted terms and are never part of a word either engine indexes.
UNSEARCHABLE = re.compile(r'[\x00-\x1f\x7f-\x9f"]')


def clean_query(text: str) -> str:
    """The first words of `text`, single-spaced, without control characters or double quotes;
    cut at a word boundary to MAX_QUERY_LENGTH. Only whitespace gives ""."""
    query = " ".join(UNSEARCHABLE.sub(" ", text).split()[:MAX_QUERY_WORDS])
    if len(query) <= MAX_QUERY_LENGTH:
        return query
    cut = query[: MAX_QUERY_LENGTH + 1]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut[:MAX_QUERY_LENGTH]


class CleanQueryMixin:
    """A search backend that searches for `clean_query()` of any text it is given, so every way
    in (site search, both APIs, the admin) gets the same safe query. A query left empty finds
    nothing, as Wagtail's empty search does, but as results of the model searched (which the
    admin's listings read), not modelsearch's model-less empty results."""

    def _search(self, query_compiler_class: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query, str):
            query = clean_query(query) or MATCH_NONE
        return super()._search(query_compiler_class, query, *args, **kwargs)  # type: ignore[misc]
