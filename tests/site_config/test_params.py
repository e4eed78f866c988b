"""Numbers in requests are read one way: ASCII digits, within range, or a message saying so."""

from django.http import QueryDict

import pytest

from site_config.params import (
    MAX_DB_INT,
    InvalidNumber,
    id_parameter_problem,
    optional_int,
    parse_int,
    path_id_problem,
    query_int,
)

OVERFLOW = 36893488147419103232
# Values no id column can hold, as requests bring them (the ORM is not asked to cope with them).
IMPOSSIBLE_IDS = ["\u00b2", "1.5", "page__title", "0", "-1", str(OVERFLOW)]


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


@pytest.mark.parametrize("value", [*IMPOSSIBLE_IDS, OVERFLOW, 0])
def test_a_path_id_no_row_can_have_is_named(value) -> None:
    assert path_id_problem({"page_id": value}) == (
        f"page_id must be a whole number from 1 to {MAX_DB_INT}"
    )
    assert path_id_problem({"instance_pk": value, "app_label": "x"}) is not None


def test_path_ids_that_can_name_a_row_and_other_parameters_pass() -> None:
    assert path_id_problem({"pk": 7, "page_id": "12", "revision_id_b": str(MAX_DB_INT)}) is None
    assert path_id_problem({"revision_id_a": "earliest", "revision_id_b": "live"}) is None
    assert path_id_problem({"type": "immunotherapy.Agent", "app_label": "1.5"}) is None


@pytest.mark.parametrize("value", [*IMPOSSIBLE_IDS, ""])
def test_an_id_parameter_no_row_can_have_is_named(value) -> None:
    params = QueryDict(mutable=True)
    params.setlist("id", ["3", value])
    assert id_parameter_problem(params, ["child_of", "id"]) == (
        f"id must be a whole number from 1 to {MAX_DB_INT}"
    )


def test_id_parameters_that_can_name_a_row_keywords_and_others_pass() -> None:
    params = QueryDict("id=3&id=all&child_of=root&q=1.5&q=")
    assert id_parameter_problem(params, ["id", "child_of", "descendant_of"]) is None
