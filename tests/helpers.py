"""Helpers shared by tests that need a real process (settings layers, exit codes)."""

import gzip
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote
from urllib.request import Request, urlopen

PROJECT_DIR = Path(__file__).resolve().parent.parent
# How long a child process may take: a hang guard, far above what a migrate takes on a busy machine.
CHILD_TIMEOUT = 300


def child_env(extra: dict[str, str] | None = None, drop: set[str] | None = None) -> dict[str, str]:
    """This process's environment for a child process, plus `extra`, less `drop`.

    The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process only; a child is a fresh,
    deployment-like process and never inherits it.
    """
    dropped = {"DJANGO_ALLOW_ASYNC_UNSAFE", *(drop or set())}
    return {
        **{k: v for k, v in os.environ.items() if k not in dropped},
        **(extra or {}),
    }


def run_python(
    code: str, settings: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter with Django set up under the given settings module."""
    full_env = child_env(
        {"DJANGO_SETTINGS_MODULE": settings, **(env or {})},
        drop={"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"},
    )
    prelude = "import django; django.setup(); from django.conf import settings\n"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", prelude + code],
        cwd=PROJECT_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
    )


def run_manage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = child_env(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
    )


def copy_sqlite(source: Path, target: Path) -> dict[str, str]:
    """Copy the SQLite database `source` to `target`; the DATABASE_URL of the copy, for a child."""
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)
    return {"DATABASE_URL": f"sqlite:///{target}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url() -> str:
    """The Redis database this test process uses ("" without REDIS_URL): under pytest-xdist each
    worker has its own (site_config/settings/test.py), which a child given it shares."""
    from django.conf import settings

    return settings.CACHES["default"]["LOCATION"] if settings.REDIS_URL else ""


def post_json(url: str, data: dict) -> tuple[int, dict]:
    """POST `data` as JSON to a live server; the status and the JSON answer (else {"raw": text})."""
    request = Request(  # noqa: S310 - tests post to their own local server
        url, data=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urlopen(request, timeout=60) as response:  # noqa: S310
            status, text = response.status, response.read().decode()
    except HTTPError as error:
        status, text = error.code, error.read().decode(errors="replace")
    try:
        return status, json.loads(text)
    except ValueError:
        return status, {"raw": text[:500]}


def live_database_url() -> str:
    """A DATABASE_URL for the database this test process uses, so a live server can share it.

    On SQLite that is the test database file (site_config/settings/test.py); on PostgreSQL the
    test database pytest-django created. Only tests with `transactional_db` see the server's
    writes, and the server theirs.
    """
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    if connection.vendor == "postgresql":
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}{port}/{db['NAME']}"
    raise RuntimeError(f"no DATABASE_URL for a {connection.vendor} test database")


@contextmanager
def gunicorn_server(env: dict[str, str], timeout: float = 60) -> Iterator[str]:
    """Run gunicorn with the project's gunicorn.conf.py on a free local port; yield its base URL.

    `env` is added to this process's environment (DATABASE_URL, SECRET_KEY, ...).
    """
    port = free_port()
    full_env = child_env({"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", **env})
    # Its log goes to a file, not a pipe: a full pipe nobody reads would block the server.
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=PROJECT_DIR,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
        try:
            _wait_for_port(process, port, log, timeout)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_port(process: subprocess.Popen, port: int, log, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn exited:\n{log.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start listening in time") from None
            time.sleep(0.2)


def read_plain_and_gzipped(client, url: str) -> tuple:
    """Read a shared answer three times: made (gzip accepted), kept (gzip accepted) and kept
    for a client that does not accept gzip; check what every shared answer must be: the same
    content, gzipped only when accepted, smaller, its length right, a weak ETag of the same
    value, `Vary: Accept-Encoding`. Returns the three responses."""
    made = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    kept = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get(url)
    assert [r["X-Cache"] for r in (made, kept, plain)] == ["MISS", "HIT", "HIT"]
    assert "Content-Encoding" not in plain
    for response in (made, kept):
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content)
        assert response["ETag"] == f"W/{plain['ETag']}"  # the same content, other bytes
    for response in (made, kept, plain):
        assert "Accept-Encoding" in {value.strip() for value in response["Vary"].split(",")}
    return made, kept, plain


# What a reader refused by the flood limit is told: how long to wait, within the 15 s window.
FLOOD_MESSAGE = re.compile(
    r"You are posting comments too quickly\. Please wait ([1-9]|1[0-5]) seconds?, then post again\."
)
