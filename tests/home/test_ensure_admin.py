"""`ensure_admin`, run by `make run`, gives a fresh install exactly one way in."""

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

import pytest

pytestmark = pytest.mark.django_db


def run(monkeypatch, **env: str) -> str:
    for name in ("ADMIN_USERNAME", "ADMIN_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def test_generated_password_is_printed_once_and_signs_in(client, monkeypatch) -> None:
    output = run(monkeypatch)
    password = re.search(r"username admin and password (\S+)", output).group(1)
    assert client.login(username="admin", password=password)
    assert client.get("/admin/").status_code == 200

    again = run(monkeypatch)
    assert "already exists" in again
    assert password not in again
    assert get_user_model().objects.count() == 1


def test_credentials_from_the_environment(client, monkeypatch) -> None:
    output = run(monkeypatch, ADMIN_USERNAME="editor-in-chief", ADMIN_PASSWORD="a long passphrase")
    assert "editor-in-chief" in output
    assert "a long passphrase" not in output
    assert client.login(username="editor-in-chief", password="a long passphrase")


def test_refuses_to_promote_an_existing_ordinary_user(monkeypatch) -> None:
    get_user_model().objects.create_user(username="admin", password="x")
    with pytest.raises(CommandError, match="non-admin user named 'admin' already exists"):
        run(monkeypatch)
    assert not get_user_model().objects.filter(is_superuser=True).exists()
