"""Two app servers sharing PostgreSQL and Redis, behind Varnish configured as docs/deploy ships it.

A change made through server A is what the next reader sees through server B and through
Varnish: a page published through API v3, and a comment a moderator approves in the admin.
Runs in CI's PostgreSQL + Redis pass (marker `scaleout`, see tests/conftest.py).
"""

import json
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit
from urllib.request import HTTPCookieProcessor, OpenerDirector, Request, build_opener, urlopen

from django.conf import settings

from wagtail.models import APIToken

import pytest

from comments.models import Comment
from tests.factories import make_article
from tests.helpers import PROJECT_DIR, free_port, gunicorn_server, live_database_url

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VCL = PROJECT_DIR / "docs" / "deploy" / "varnish.vcl"
HOST = "localhost"  # the site's hostname (tests/conftest.py `home_page`)
READY_SECONDS = 30


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    text: str


def fetch(
    url: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    opener: OpenerDirector | None = None,
) -> Response:
    request = Request(url, data=data, method=method, headers={"Host": HOST, **(headers or {})})  # noqa: S310
    try:
        with (opener.open if opener else urlopen)(request, timeout=30) as answer:
            return Response(answer.status, dict(answer.headers), answer.read().decode())
    except HTTPError as error:
        return Response(error.code, dict(error.headers), error.read().decode(errors="replace"))


def wait_until_healthy(base_url: str) -> None:
    """Poll /healthz until it answers 200 (bounded), so no request races the start-up."""
    deadline = time.monotonic() + READY_SECONDS
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            answer = fetch(f"{base_url}/healthz")
        except OSError as error:
            last = str(error)
        else:
            if answer.status == 200:
                return
            last = f"{answer.status} {answer.text[:200]}"
        time.sleep(0.1)
    raise AssertionError(f"{base_url}/healthz not healthy in {READY_SECONDS} s: {last}")


@contextmanager
def varnish(port: int, backends: list[str]) -> Iterator[str]:
    """varnishd with docs/deploy/varnish.vcl in front of `backends`; yields its base URL."""
    with tempfile.TemporaryDirectory(prefix="varnish-") as tmp:
        workdir = Path(tmp)
        shutil.copy(VCL, workdir / "varnish.vcl")
        site = [
            f'backend app{n} {{ .host = "127.0.0.1"; .port = "{urlsplit(url).port}"; }}'
            for n, url in enumerate(backends)
        ]
        adds = "".join(f" app.add_backend(app{n});" for n in range(len(backends)))
        site += [f"sub vcl_init {{{adds} }}", 'acl purgers { "127.0.0.1"; }']
        (workdir / "varnish-site.vcl").write_text("\n".join(site) + "\n")
        log = (workdir / "varnishd.log").open("w+")
        process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("varnishd") or "varnishd",
                *("-F", "-j", "none", "-a", f"127.0.0.1:{port}"),
                *("-f", str(workdir / "varnish.vcl"), "-n", str(workdir / "state")),
                *("-s", "malloc,32m", "-T", "none"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            try:
                wait_until_healthy(base_url)
            except AssertionError:
                log.seek(0)
                raise AssertionError(f"varnishd did not come up:\n{log.read()[-3000:]}") from None
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


@dataclass(frozen=True)
class Stack:
    a: str
    b: str
    varnish: str


@pytest.fixture
def stack() -> Iterator[Stack]:
    varnish_port = free_port()
    env = {
        "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
        "DATABASE_URL": live_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "FRONTEND_CACHE_PURGE_URL": f"http://127.0.0.1:{varnish_port}",
        "WAGTAILAPI_BASE_URL": f"http://{HOST}",
        "HTML_CACHE_S_MAXAGE": "86400",
    }
    with ExitStack() as servers:
        a = servers.enter_context(gunicorn_server(env))
        b = servers.enter_context(gunicorn_server(env))
        for server in (a, b):
            wait_until_healthy(server)
        front = servers.enter_context(varnish(varnish_port, [a, b]))
        yield Stack(a=a, b=b, varnish=front)


def signed_in(base_url: str, username: str, password: str) -> tuple[OpenerDirector, CookieJar]:
    """A browser-like session on one server, signed in to the Wagtail admin."""
    jar = CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar))
    fetch(f"{base_url}/admin/login/", opener=opener)
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    answer = fetch(f"{base_url}/admin/login/", method="POST", data=urlencode(form).encode(),
                   opener=opener)  # fmt: skip
    assert any(cookie.name == "sessionid" for cookie in jar), answer.text[:500]
    return opener, jar


def test_a_change_through_server_a_is_seen_through_server_b_and_varnish(
    stack: Stack, home_page, admin_user
) -> None:
    article = make_article(home_page, slug="scale", index_slug="articles")
    article.save_revision().publish()
    comment = Comment.objects.create(
        page=article, author_name="Rita Reader", author_email="rita@example.org",
        body="Approved on server A.", status=Comment.Status.PENDING,
    )  # fmt: skip
    page_url, detail_url = article.url, f"/api/v2/pages/{article.pk}/"

    # Every layer keeps the page and its API detail.
    for base in (stack.a, stack.b, stack.varnish, stack.varnish):
        page = fetch(base + page_url)
        assert page.status == 200
        assert "Living with it" in page.text
        assert fetch(base + detail_url).status == 200
    assert fetch(stack.varnish + page_url).headers["X-Edge-Cache"] == "HIT"
    assert fetch(stack.b + page_url).headers["X-Cache"] == "HIT"
    edge_detail = fetch(stack.varnish + detail_url)
    assert edge_detail.headers["X-Edge-Cache"] == "HIT"
    assert "s-maxage" not in edge_detail.headers["Cache-Control"]

    # An editor publishes a new title through API v3 on server A.
    _token, secret = APIToken.create_token(user=admin_user, name="scale-out")
    body = {
        "title": "Living well",
        "meta": {"type": "immunotherapy.ArticlePage", "action": "publish"},
    }
    published = fetch(
        f"{stack.a}/api/v3/pages/{article.pk}/", method="PATCH", data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
    )  # fmt: skip
    assert published.status == 200, published.text[:500]

    for base in (stack.b, stack.varnish):
        page = fetch(base + page_url)
        assert "<h1>Living well</h1>" in page.text, base
        assert json.loads(fetch(base + detail_url).text)["title"] == "Living well", base

    # A moderator approves the comment in the admin on server A.
    opener, jar = signed_in(stack.a, admin_user.username, "password")
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = {"row_action": f"approve:{comment.pk}", "csrfmiddlewaretoken": token}
    approved = fetch(
        f"{stack.a}/admin/comments/comment/bulk/", method="POST",
        data=urlencode(form).encode(), opener=opener,
        headers={"Referer": f"{stack.a}/admin/comments/comment/"},
    )  # fmt: skip
    assert approved.status == 200, approved.text[:500]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED

    for base in (stack.b, stack.varnish):
        assert "Approved on server A." in fetch(base + page_url).text, base
    listed = json.loads(fetch(f"{stack.b}/api/v2/comments/?page={article.pk}").text)
    assert [item["body_html"] for item in listed["items"]] == ["<p>Approved on server A.</p>"]
    assert re.search(r"1 comment on", fetch(stack.varnish + page_url).text)
