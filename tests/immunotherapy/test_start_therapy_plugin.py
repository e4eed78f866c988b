"""`manage.py start_therapy_plugin`: straight out of the command, the plugin builds as a wheel,
installs (not editable) into a fresh environment, migrates, loads its demo page, is served on
the site, in both APIs, search and the sitemap, and its own tests pass. Real processes."""

import subprocess
import sys
from pathlib import Path

import pytest

from immunotherapy.plugins import DEFAULT_PLUGINS
from tests.helpers import PROJECT_DIR, child_env, run_manage

NAME = "scaffold_check_therapy"
SLUG = "scaffold-check-therapy"
MODEL = "ScaffoldCheckTherapyPage"


def run(args: list[str], env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        args,
        cwd=PROJECT_DIR,
        env=child_env(env, drop={"DATABASE_URL", "REDIS_URL"} - set(env)),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


VISIT = f"""
import django; django.setup()
from django.contrib.auth.models import User
from django.test import Client
from wagtail.models import APIToken
client = Client()
page = "/therapies/{SLUG}/"
checks = {{
    "page": client.get(page),
    "index": client.get("/therapies/"),
    "home": client.get("/"),
    "api_v2": client.get("/api/v2/pages/", {{"type": "{NAME}.{MODEL}", "fields": "*"}}),
    "search": client.get("/search/", {{"q": "Scaffold check therapy"}}),
    "sitemap": client.get("/sitemap-pages.xml"),
}}
user = User.objects.create_superuser("schema", "s@example.org", "pw")
_token, plaintext = APIToken.create_token(user=user, name="t")
checks["api_v3"] = client.get(
    "/api/v3/schema/{NAME}.{MODEL}/", HTTP_AUTHORIZATION="Bearer " + plaintext
)
for name, response in checks.items():
    text = response.content.decode()
    print(name, response.status_code, page in text or "highlight" in text)
"""


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory) -> dict[str, str]:
    """The plugin written by the command, built as a wheel and installed into a directory of
    its own (the environment's site-packages for these processes), with a fresh database."""
    tmp = tmp_path_factory.mktemp("plugin")
    env = {
        "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "IMMUNOTHERAPY_PLUGINS": ",".join(DEFAULT_PLUGINS),  # not the suite's example plugin
    }
    written = run_manage("start_therapy_plugin", NAME, "--directory", str(tmp / "src"), env=env)
    assert written.returncode == 0, written.stderr
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    built = run(
        [
            *pip,
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp / "dist"),
            str(tmp / "src"),
        ],
        env,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp / "dist").glob("*.whl")
    site = tmp / "site"
    installed = run(
        [*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)], env
    )
    assert installed.returncode == 0, installed.stderr
    return {
        **env,
        "PYTHONPATH": f"{site}:{PROJECT_DIR}",
        "IMMUNOTHERAPY_ENTRY_POINTS": "true",  # the test settings ignore entry points otherwise
        "SITE_DIR": str(site),
    }


def test_the_written_plugin_installs_and_serves_its_demo_page(plugin_env) -> None:
    migrated = run_manage("migrate", "--noinput", env=plugin_env)
    assert migrated.returncode == 0, migrated.stderr
    loaded = run_manage("load_demo_content", env=plugin_env)
    assert loaded.returncode == 0, loaded.stderr
    assert f"created /home/therapies/{SLUG}/" in loaded.stdout
    visit = run([sys.executable, "-c", VISIT], plugin_env)
    assert visit.returncode == 0, visit.stderr
    assert visit.stdout.splitlines() == [
        "page 200 True",  # its own block template came with the wheel
        "index 200 True",
        "home 200 True",
        "api_v2 200 True",
        "search 200 True",
        "sitemap 200 True",
        "api_v3 200 True",  # the schema describes its `highlight` block
    ]


def test_the_written_plugins_own_tests_pass(plugin_env) -> None:
    result = run(
        [sys.executable, "-m", "pytest", "--pyargs", NAME, "-q", "-p", "no:cacheprovider"],
        plugin_env,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "8 passed" in result.stdout


def test_a_check_warns_when_its_migrations_fall_behind_its_models(plugin_env) -> None:
    assert "immunotherapy.W001" not in run_manage("check", env=plugin_env).stderr
    models = Path(plugin_env["SITE_DIR"]) / NAME / "models.py"
    original = models.read_text()
    # As after a core upgrade that adds a field to TherapyPage.
    models.write_text(
        original.replace(
            "    body = StreamField",
            "    extra = models.TextField(blank=True)\n    body = StreamField",
        )
    )
    try:
        result = run_manage("check", env=plugin_env)
    finally:
        models.write_text(original)
    assert "immunotherapy.W001" in result.stderr
    assert f"python manage.py makemigrations {NAME}" in result.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Bad-Name", "is not a valid plugin name"),
        ("class", "is not a valid plugin name"),
        ("car_t", "is already the label of an installed app"),
        ("json", "is already an importable Python package"),
    ],
)
def test_a_bad_name_is_refused_with_one_line(tmp_path, name: str, message: str) -> None:
    result = run_manage(
        "start_therapy_plugin",
        name,
        "--directory",
        str(tmp_path / "out"),
        env={"DJANGO_SETTINGS_MODULE": "site_config.settings.test"},
    )
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_registered_slug_is_refused(tmp_path) -> None:
    # The suite's example plugin registers "oncolytic-virus" (app label oncolytic_virus).
    result = run_manage(
        "start_therapy_plugin",
        "oncolytic_virus",
        "--directory",
        str(tmp_path / "out"),
        env={"DJANGO_SETTINGS_MODULE": "site_config.settings.test"},
    )
    assert result.returncode != 0
    assert "oncolytic_virus" in result.stderr and "Traceback" not in result.stderr


def test_an_existing_directory_is_never_overwritten(tmp_path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "mine.txt").write_text("keep me")
    result = run_manage(
        "start_therapy_plugin",
        "fresh_therapy",
        "--directory",
        str(target),
        env={"DJANGO_SETTINGS_MODULE": "site_config.settings.test"},
    )
    assert result.returncode != 0
    assert "already exists and is not empty" in result.stderr
    assert [p.name for p in target.iterdir()] == ["mine.txt"]
