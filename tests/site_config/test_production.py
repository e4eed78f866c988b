"""The production layer: `check --deploy` is clean, gunicorn serves it with every protective
header, static files come compressed and hashed, media and search follow the environment."""

import gzip
import json
import re
import secrets
import urllib.request
from pathlib import Path
from urllib.error import HTTPError

import pytest

from tests.factories import make_article
from tests.helpers import PROJECT_DIR, gunicorn_server, redis_url, run_manage, run_python

DOCUMENTED_ENV = PROJECT_DIR / "docs" / "production.env.example"


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The documented environment with a fresh key and this machine's database and cache."""
    env = {}
    for line in DOCUMENTED_ENV.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    env["REDIS_URL"] = redis_url()
    env["STATIC_ROOT"] = str(tmp_path / "static")
    env.update(overrides)
    return env


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path) -> None:
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_hsts_preload_is_a_recorded_choice_off_by_default(tmp_path) -> None:
    code = (
        "from django.conf import settings; "
        "print(settings.SECURE_HSTS_PRELOAD, settings.SILENCED_SYSTEM_CHECKS)"
    )
    off = run_manage("shell", "-c", code, env=production_env(tmp_path))
    assert off.stdout.strip().splitlines()[-1] == "False ['security.W021']", off.stderr
    on = run_manage("shell", "-c", code, env=production_env(tmp_path, SECURE_HSTS_PRELOAD="true"))
    assert on.stdout.strip().splitlines()[-1] == "True []", on.stderr
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(tmp_path, SECURE_HSTS_PRELOAD="true"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_still_catches_an_unsafe_override(tmp_path) -> None:
    env = production_env(tmp_path, SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0")
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout


def fetch(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - local test server
    try:
        return urllib.request.urlopen(request, timeout=30)  # noqa: S310
    except HTTPError as error:  # 3xx/4xx/5xx still carry the headers we check
        return error


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    env = production_env(tmp_path)
    collected = run_manage("collectstatic", "--noinput", env=env)
    assert collected.returncode == 0, collected.stderr
    migrated = run_manage("migrate", "--noinput", env=env)  # as a deploy does (docs/deploy.md)
    assert migrated.returncode == 0, migrated.stderr
    with gunicorn_server(env) as base_url:
        yield base_url, Path(env["STATIC_ROOT"])


def test_gunicorn_serves_healthz_over_plain_http_for_the_load_balancer(production_server) -> None:
    base_url, _ = production_server
    response = fetch(f"{base_url}/healthz", Host="cms.example.org")
    assert response.status == 200
    assert json.loads(response.read())["status"] == "ok"


def test_plain_http_pages_are_redirected_to_https(production_server) -> None:
    base_url, _ = production_server
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(f"{base_url}/", headers={"Host": "cms.example.org"})  # noqa: S310
    with pytest.raises(HTTPError) as redirect:
        opener.open(request, timeout=30)
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"] == "https://cms.example.org/"


def test_https_responses_carry_every_protective_header(production_server) -> None:
    base_url, _ = production_server
    response = fetch(
        f"{base_url}/healthz", Host="cms.example.org", **{"X-Forwarded-Proto": "https"}
    )
    headers = response.headers
    assert (
        headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    )  # no preload: opt-in
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "script-src 'self';" in headers["Content-Security-Policy"]


def test_unknown_hosts_are_refused(production_server) -> None:
    base_url, _ = production_server
    response = fetch(f"{base_url}/healthz", Host="evil.example")
    assert response.status == 400


def test_whitenoise_serves_hashed_compressed_static_files(production_server) -> None:
    base_url, static_root = production_server
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", hashed)
    response = fetch(
        f"{base_url}/static/{hashed}",
        Host="cms.example.org",
        **{"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"},
    )
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert gzip.decompress(response.read()) == (static_root / hashed).read_bytes()


def test_gunicorn_settings_come_from_the_environment() -> None:
    env = {"GUNICORN_WORKERS": "3", "PORT": "9001", "GUNICORN_TIMEOUT": "45"}
    result = run_python(
        "import subprocess, sys; print(subprocess.run([sys.executable, '-m', 'gunicorn', "
        "'--print-config', '-c', 'gunicorn.conf.py'], capture_output=True, text=True).stdout)",
        "site_config.settings.test",
        env,
    )
    assert result.returncode == 0, result.stderr
    config = dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.MULTILINE))
    assert config["workers"] == "3"
    assert config["bind"] == "['0.0.0.0:9001']"
    assert config["timeout"] == "45"
    assert config["wsgi_app"] == "site_config.wsgi:application"


MEDIA_REPORT = (
    "from django.core.files.storage import default_storage\n"
    "print(settings.STORAGES['default']['BACKEND'], default_storage.url('images/scan.jpg'))"
)


def test_media_stays_on_local_disk_by_default() -> None:
    result = run_python(MEDIA_REPORT, "site_config.settings.dev")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.files.storage.FileSystemStorage",
        "/media/images/scan.jpg",
    ]


def test_media_goes_to_object_storage_when_a_bucket_is_named() -> None:
    env = {
        "AWS_STORAGE_BUCKET_NAME": "cms-media",
        "AWS_S3_ENDPOINT_URL": "https://objects.example.net",
        "AWS_S3_CUSTOM_DOMAIN": "media.example.org",
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret",
    }
    result = run_python(
        MEDIA_REPORT + "\nprint(default_storage.bucket_name, default_storage.endpoint_url)"
        "\nprint(settings.CSP_PUBLIC['img-src'][-1])",
        "site_config.settings.dev",
        env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3.S3Storage",
        "https://media.example.org/images/scan.jpg",
        "cms-media",
        "https://objects.example.net",
        "https://media.example.org",  # readers' pages may show images from there
    ]


def test_frontend_cache_backends_come_from_the_environment() -> None:
    env = {
        "FRONTEND_CACHE_PURGE_URL": "http://varnish.internal:6081",
        "CLOUDFLARE_ZONEID": "zone",
        "CLOUDFLARE_BEARER_TOKEN": "token",
    }
    result = run_python(
        "print(sorted(settings.WAGTAILFRONTENDCACHE))", "site_config.settings.dev", env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['cloudflare', 'http']"


def test_publishing_a_page_purges_it_from_the_cdn(home_page, cdn) -> None:
    article = make_article(home_page)
    article.intro = "Updated introduction."
    article.save_revision().publish()
    assert ("localhost", article.url) in cdn
