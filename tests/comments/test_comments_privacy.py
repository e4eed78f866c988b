"""`manage.py comments_privacy export|erase EMAIL`."""

import json
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from comments.services import ERASED_BODY
from tests.helpers import run_manage

pytestmark = [pytest.mark.django_db, pytest.mark.backends]


def run(*args: str) -> str:
    out = StringIO()
    call_command("comments_privacy", *args, stdout=out)
    return out.getvalue()


def test_export_prints_json_for_one_email(make_comment) -> None:
    make_comment(author_email="pat@example.org", body="Mine", author_url="https://pat.example")
    make_comment(author_email="other@example.org", body="Not mine")
    rows = json.loads(run("export", "PAT@example.org"))
    assert [row["body"] for row in rows] == ["Mine"]
    assert rows[0]["author_url"] == "https://pat.example"
    assert rows[0]["ip_address"] == "192.0.2.10"


def test_export_of_unknown_email_is_an_empty_list(db) -> None:
    assert json.loads(run("export", "nobody@example.org")) == []


def test_erase_keeps_text_unless_asked(make_comment) -> None:
    mine = make_comment(author_email="pat@example.org", body="Mine")
    assert run("erase", "pat@example.org") == (
        "Personal data removed from 1 comment(s) by pat@example.org.\n"
    )
    mine.refresh_from_db()
    assert (mine.author_name, mine.body, mine.ip_address) == ("Anonymous", "Mine", None)
    other = make_comment(author_email="sam@example.org", body="Gone")
    run("erase", "sam@example.org", "--remove-text")
    other.refresh_from_db()
    assert other.body == ERASED_BODY


def test_erase_of_unknown_email_says_so(db) -> None:
    assert run("erase", "nobody@example.org") == "No comments were found for nobody@example.org.\n"


def test_bad_email_is_a_command_error(db) -> None:
    with pytest.raises(CommandError, match="'not-an-email' is not a valid email address."):
        run("export", "not-an-email")


def test_bad_input_exits_non_zero_with_one_readable_line() -> None:
    result = run_manage("comments_privacy", "erase", "not-an-email")
    assert result.returncode != 0
    assert result.stderr.strip() == "CommandError: 'not-an-email' is not a valid email address."
    result = run_manage("comments_privacy", "delete", "a@example.org")
    assert result.returncode != 0
    assert "invalid choice: 'delete'" in result.stderr
