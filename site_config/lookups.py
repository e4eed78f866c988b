"""Integer lookups answer "no rows" for values no integer column can hold, instead of failing.

Django (5.2) already answers `id=36893488147419103232` with no rows (`IntegerFieldOverflow` in
django.db.models.lookups), but `id="²"` raises ValueError and `id__in=[36893488147419103232]`
reaches the database, which fails (SQLite: OverflowError; PostgreSQL: out of range). Wagtail
(8.0) passes request values straight into such lookups in many places: its admin API's
`find/?id=`, bulk actions' `?id=`, the page chooser's `chosen-multiple/?id=`, django-filter
listing filters, and API v3's path ids (`/api/v3/pages/1.5/`, `/snippets/{type}/x/`). Each was
a 500; a value that is not a storable integer matches nothing, so each is now "not found" or an
invalid choice, as a missing id already was.
"""

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact
from django.db.models.lookups import In, IntegerFieldExact

# No supported database stores a wider integer; SQLite reports no range for its columns.
WIDEST = (-(2**63), 2**63 - 1)


def _storable(value: Any, low: int | None, high: int | None) -> bool:
    if not isinstance(value, int):
        return True  # an expression or a subquery: the database decides
    low, high = (WIDEST[0] if low is None else low), (WIDEST[1] if high is None else high)
    return low <= value <= high


@IntegerField.register_lookup
class LenientIntegerExact(IntegerFieldExact):
    """`exact` with a value that is not a whole number matches no row."""

    impossible = False

    def get_prep_lookup(self) -> Any:
        try:
            return super().get_prep_lookup()
        except (ValueError, TypeError):
            self.impossible = True
            return self.rhs

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.impossible or not _storable(self.rhs, *WIDEST):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


@IntegerField.register_lookup
class LenientIntegerIn(In):
    """`in` ignores values that are not whole numbers or do not fit the column."""

    def get_prep_lookup(self) -> Any:
        if self.rhs_is_direct_value() and not isinstance(self.rhs, (str, bytes)):
            field = self.lhs.output_field
            kept = []
            for value in self.rhs:
                try:
                    field.get_prep_value(value)
                except (ValueError, TypeError):
                    continue
                kept.append(value)
            self.rhs = kept
        return super().get_prep_lookup()

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [value for value in self.rhs if _storable(value, low, high)]
        return super().process_rhs(compiler, connection)


@ForeignObject.register_lookup
class LenientRelatedExact(RelatedExact):
    """`exact` through a relation (a page type's `pk`, its `page_ptr`) with an integer no column
    can hold matches no row, as `LenientIntegerExact` does on the column itself."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if isinstance(self.rhs, int) and not _storable(self.rhs, *WIDEST):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)
