"""Project-wide checks CI relies on: system checks and committed migrations."""

from io import StringIO

from django.core.management import call_command

import pytest


@pytest.mark.django_db
def test_system_check_is_clean() -> None:
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_no_missing_migrations() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"missing migrations:\n{out.getvalue()}")


def test_admin_login_page_renders(client, db) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_unknown_address_gets_the_friendly_404(client, home_page) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b'href="/"' in response.content
