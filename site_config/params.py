"""The one reader of whole numbers from outside: ids, offsets, limits and page numbers in
requests, and the numbers in command options and imported files.

`str.isdigit()` accepts characters such as "²" that `int()` refuses, and `int()` accepts
"+1", " 1", "1_000" and numbers no database column can hold. Every number a request brings
(a query parameter, a form field, a path segment) goes through `parse_int`, which takes ASCII
digits only, and no more of them than fit in a signed 64-bit column.
"""

import re
from collections.abc import Mapping

# The largest value any supported database stores in a BigAutoField or accepts in OFFSET.
MAX_DB_INT = 2**63 - 1
# A listing offset beyond this is a mistake or an attack: no listing holds two billion items,
# and `offset + limit` must still fit in MAX_DB_INT.
MAX_OFFSET = 2**31 - 1

_DIGITS = re.compile(r"[0-9]{1,19}")


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
