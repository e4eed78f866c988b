"""Numbers in requests are read one way: ASCII digits, within range, or a message saying so."""

import pytest

from site_config.params import MAX_DB_INT, InvalidNumber, optional_int, parse_int, query_int


@pytest.mark.parametrize("raw", ["0", "7", "0042", str(MAX_DB_INT)])
def test_whole_numbers_in_range_are_read(raw: str) -> None:
    assert parse_int(raw, name="offset") == int(raw)


@pytest.mark.parametrize(
    "raw",
    ["²", "¹", "٣", "１", "+1", "-1", " 1", "1 ", "1_000", "1.0", "0x10", "", str(MAX_DB_INT + 1)],
)
def test_anything_else_is_refused_naming_the_parameter(raw: str) -> None:
    with pytest.raises(InvalidNumber, match="^offset must be a whole number from 0 to "):
        parse_int(raw, name="offset")


def test_bounds_are_the_callers() -> None:
    assert parse_int("5", name="limit", minimum=1, maximum=5) == 5
    with pytest.raises(InvalidNumber, match="limit must be a whole number from 1 to 5"):
        parse_int("6", name="limit", minimum=1, maximum=5)
    with pytest.raises(InvalidNumber):
        parse_int("0", name="limit", minimum=1, maximum=5)


def test_query_int_falls_back_to_the_default_only_when_absent_or_empty() -> None:
    assert query_int({}, "offset", 3) == 3
    assert query_int({"offset": ""}, "offset", 3) == 3
    assert query_int({"offset": "9"}, "offset", 3) == 9
    with pytest.raises(InvalidNumber):
        query_int({"offset": "²"}, "offset", 3)


def test_optional_int_reads_an_id_or_nothing() -> None:
    assert optional_int("12") == 12
    assert optional_int(12) == 12
    assert optional_int("²") is None
    assert optional_int("0") is None
    assert optional_int("36893488147419103232") is None
