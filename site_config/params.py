"""The one reader of whole numbers from outside: ids, offsets, limits and page numbers in
requests, and the numbers in command options and imported files.

`str.isdigit()` accepts characters such as "²" that `int()` refuses, and `int()` accepts
"+1", " 1", "1_000" and numbers no database column can hold. Every number a request brings
(a query parameter, a form field, a path segment) goes through `parse_int`, which takes ASCII
digits only, and no more of them than fit in a signed 64-bit column.

Ids are checked where requests come in (`admin_guard`, `api_errors`), not in the ORM: Django's
`int` path converter takes any run of ASCII digits and string parameters take anything; a lookup
given "²" or "1.5" raises ValueError, and `id__in` given a number past the column's range makes
the database fail. `path_id_problem` and `id_parameter_problem` say why an id cannot name a row,
so the guards refuse it before a view puts it in a query.
"""

import re
from collections.abc import Iterable, Mapping

from django.http import QueryDict

# The largest value any supported database stores in a BigAutoField or accepts in OFFSET.
MAX_DB_INT = 2**63 - 1
# A listing offset beyond this is a mistake or an attack: no listing holds two billion items,
# and `offset + limit` must still fit in MAX_DB_INT.
MAX_OFFSET = 2**31 - 1

_DIGITS = re.compile(r"[0-9]{1,19}")

# Path parameters that name a row: `pk`, `page_id`, `instance_pk`, `revision_id_a`.
_ID_NAME = re.compile(r"(?:^|_)(?:pk|id)(?:_[ab])?$")
# Words a path takes where it otherwise takes an id: Wagtail's revision comparison
# (`revisions/compare/earliest...live/`).
PATH_ID_KEYWORDS = frozenset({"live", "earliest", "latest"})
# Words a query takes where it otherwise takes an id: Wagtail's bulk actions `?id=all` (the
# whole listing) and API v3's `?child_of=root` and the other page filters (the site's root).
QUERY_ID_KEYWORDS = frozenset({"all", "root"})


class InvalidNumber(ValueError):
    """A number in a request that is not a whole number in range; the message says why."""


def parse_int(raw: object, *, name: str, minimum: int = 0, maximum: int = MAX_DB_INT) -> int:
    """`raw` as an int between `minimum` and `maximum`, else InvalidNumber naming `name`."""
    text = raw if isinstance(raw, str) else str(raw)
    if not _DIGITS.fullmatch(text):
        raise InvalidNumber(f"{name} must be a whole number from {minimum} to {maximum}")
    value = int(text)
    if not minimum <= value <= maximum:
        raise InvalidNumber(f"{name} must be a whole number from {minimum} to {maximum}")
    return value


def query_int(
    params: Mapping[str, str],
    name: str,
    default: int,
    *,
    minimum: int = 0,
    maximum: int = MAX_DB_INT,
) -> int:
    """The query parameter `name` as an int (`default` when absent or empty), else InvalidNumber."""
    raw = params.get(name, "")
    if raw == "":
        return default
    return parse_int(raw, name=name, minimum=minimum, maximum=maximum)


def optional_int(raw: object, *, maximum: int = MAX_DB_INT) -> int | None:
    """`raw` as a positive id, or None when it is not one (for lenient reads such as
    `?replytocom=`, where a bad value just means "none")."""
    try:
        return parse_int(raw, name="id", minimum=1, maximum=maximum)
    except InvalidNumber:
        return None


def parse_id(raw: object, *, name: str) -> int:
    """`raw` as a row id (a whole number from 1 to MAX_DB_INT), else InvalidNumber naming `name`."""
    return parse_int(raw, name=name, minimum=1)


def path_id_problem(kwargs: Mapping[str, object]) -> str | None:
    """Why an id among a resolved URL's parameters cannot name a row, or None.

    An `int` converter's value is an id; so is a string parameter named like one (a chooser's
    `<str:pk>`, wagtail-modeladmin's `instance_pk`, API v3's `{page_id}`).
    """
    for name, value in kwargs.items():
        if isinstance(value, str) and (not _ID_NAME.search(name) or value in PATH_ID_KEYWORDS):
            continue
        if isinstance(value, int | str):
            try:
                parse_id(value, name=name)
            except InvalidNumber as error:
                return str(error)
    return None


def id_parameter_problem(params: QueryDict, names: Iterable[str]) -> str | None:
    """Why a value of the id parameters `names` in `params` (a query string or form) cannot name
    a row, or None. An empty value is refused too: Wagtail puts it in the query as it is."""
    for name in names:
        for value in params.getlist(name):
            if value not in QUERY_ID_KEYWORDS:
                try:
                    parse_id(value, name=name)
                except InvalidNumber as error:
                    return str(error)
    return None
