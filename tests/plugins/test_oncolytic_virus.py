"""The example out-of-tree plugin proves the mechanism: enabled with no core edit, it appears in
the admin, on the site, in both APIs, in search and in the sitemap; disabled, the site still works.

The test settings enable it by adding it to IMMUNOTHERAPY_PLUGINS (site_config/settings/test.py).
"""

import json
import re
import sqlite3
import textwrap
from pathlib import Path

from wagtail.models import APIToken

import pytest

from immunotherapy.plugins import DEFAULT_PLUGINS
from immunotherapy.registry import registry
from tests.factories import make_therapy_page, required_body
from tests.helpers import PROJECT_DIR, copy_sqlite, run_manage, run_python
from tests.plugins.oncolytic_virus.models import OncolyticVirusPage

BUILT_INS = ",".join(DEFAULT_PLUGINS)
VIRUS_BLOCK = {"type": "virus", "value": {"virus": "Herpes simplex 1", "route": "intratumoral"}}


@pytest.fixture
def virus_page(therapy_index) -> OncolyticVirusPage:
    return make_therapy_page(
        therapy_index,
        OncolyticVirusPage,
        title="Oncolytic virus therapy",
        summary="Viruses that infect and break open cancer cells.",
        virus_family="Herpesviridae",
        body=required_body(VIRUS_BLOCK),
    )


def test_it_is_registered_through_the_registry() -> None:
    assert registry.get("oncolytic-virus").page_model is OncolyticVirusPage


@pytest.mark.django_db
def test_creatable_under_the_therapy_index_in_the_admin(admin_client, therapy_index) -> None:
    choose = admin_client.get(f"/admin/pages/{therapy_index.pk}/add_subpage/")
    assert "/add/oncolytic_virus/oncolyticviruspage/" in choose.content.decode()
    form = admin_client.get(
        f"/admin/pages/add/oncolytic_virus/oncolyticviruspage/{therapy_index.pk}/"
    )
    assert form.status_code == 200
    assert 'name="virus_family"' in form.content.decode()
    assert OncolyticVirusPage.can_create_at(therapy_index)


@pytest.mark.django_db
def test_rendered_by_the_generic_template_with_its_own_block(client, virus_page) -> None:
    response = client.get(virus_page.url)
    assert response.status_code == 200
    assert response.templates[0].name == "immunotherapy/therapy_page.html"
    html = response.content.decode()
    assert "<h1>Oncolytic virus therapy</h1>" in html
    # The plugin's block ships no template: it shows under its heading, listed in "On this page".
    assert '<a href="#herpes-simplex-1">Herpes simplex 1</a>' in html
    assert re.search(r'id="herpes-simplex-1">\s*<h2>Herpes simplex 1</h2>', html)
    assert "Oncolytic virus therapy</a>" in client.get("/therapies/").content.decode()


@pytest.mark.django_db
def test_listed_with_its_fields_in_api_v2(client, virus_page) -> None:
    response = client.get(
        "/api/v2/pages/", {"type": "oncolytic_virus.OncolyticVirusPage", "fields": "*"}
    )
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["virus_family"] == "Herpesviridae"
    assert item["summary"] == "Viruses that infect and break open cancer cells."
    assert {"type": "virus", "value": VIRUS_BLOCK["value"]}.items() <= item["body"][1].items()


@pytest.mark.django_db
def test_present_in_the_api_v3_schema(client, admin_user) -> None:
    _token, plaintext = APIToken.create_token(user=admin_user, name="tests")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    listing = client.get("/api/v3/schema/", **headers)
    assert listing.status_code == 200
    names = [t["name"] for t in listing.json()["types"]]
    assert "oncolytic_virus.OncolyticVirusPage" in names
    detail = client.get("/api/v3/schema/oncolytic_virus.OncolyticVirusPage/", **headers)
    assert "virus_family" in json.dumps(detail.json()["read"])


@pytest.mark.django_db
def test_found_by_search(client, virus_page) -> None:
    response = client.get("/search/", {"q": "Herpesviridae"})
    assert response.status_code == 200
    assert f'href="{virus_page.url}"' in response.content.decode()


@pytest.mark.django_db
def test_present_in_the_sitemap(client, virus_page) -> None:
    response = client.get("/sitemap-pages.xml")
    assert response.status_code == 200
    assert f"<loc>http://localhost{virus_page.url}</loc>" in response.content.decode()


BUILD_SITE = """
from wagtail.models import Page, Site
from home.models import HomePage
from tests.factories import make_therapy_index, make_therapy_page
root = Page.get_first_root_node()
for child in root.get_children():
    child.delete()
home = root.add_child(instance=HomePage(title="Home", slug="home"))
Site.objects.all().delete()
Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
index = make_therapy_index(home)
from immunotherapy.registry import registry
for therapy_type in registry:
    page = make_therapy_page(index, therapy_type.page_model, title=therapy_type.label,
                             summary="About " + therapy_type.label)
    page.save_revision(log_action=True)  # a draft saved in the admin: a revision in its history
"""


@pytest.fixture(scope="module")
def built_site(migrated_sqlite: Path, tmp_path_factory) -> Path:
    """A migrated database with a page of every therapy type (this plugin's too), BUILD_SITE's
    work, made once for the module."""
    db = tmp_path_factory.mktemp("built-site") / "db.sqlite3"
    built = run_python(
        BUILD_SITE, "site_config.settings.test", env=copy_sqlite(migrated_sqlite, db)
    )
    assert built.returncode == 0, built.stderr
    return db


@pytest.fixture
def site_db(built_site: Path, tmp_path) -> dict[str, str]:
    """A copy of `built_site` at tmp_path / "db.sqlite3" for one test: {"DATABASE_URL": ...}."""
    return copy_sqlite(built_site, tmp_path / "db.sqlite3")


VISIT_SITE = """
from django.test import Client
from immunotherapy.registry import registry
print("slugs", sorted(t.slug for t in registry))
client = Client()
for url in ["/", "/therapies/", "/therapies/immune-checkpoint-inhibitors/", "/sitemap-pages.xml",
            "/search/?q=therapy", "/api/v2/pages/?fields=*", "/therapies/oncolytic-virus-therapy/"]:
    response = client.get(url)
    print(url, response.status_code, "Oncolytic" in response.content.decode())
"""


def test_disabling_it_leaves_the_site_working(site_db) -> None:
    env = site_db
    result = run_python(
        VISIT_SITE, "site_config.settings.test", env={**env, "IMMUNOTHERAPY_PLUGINS": BUILT_INS}
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "oncolytic-virus" not in lines[0]
    assert lines[1:] == [
        "/ 200 False",
        "/therapies/ 200 False",
        "/therapies/immune-checkpoint-inhibitors/ 200 False",
        "/sitemap-pages.xml 200 False",
        "/search/?q=therapy 200 False",
        "/api/v2/pages/?fields=* 200 False",
        "/therapies/oncolytic-virus-therapy/ 404 False",
    ]


ANONYMOUS_READ = """
from django.test import Client
for url in ["/therapies/oncolytic-virus-therapy/", "/therapies/", "/sitemap-pages.xml"]:
    response = Client().get(url)
    print(url, response.status_code, response.get("X-Cache"),
          "oncolytic-virus-therapy" in response.content.decode())
"""


@pytest.mark.parametrize(
    "restart",
    [{"IMMUNOTHERAPY_DISABLED_PLUGINS": "oncolytic_virus"}, {"IMMUNOTHERAPY_PLUGINS": BUILT_INS}],
    ids=["disabled", "uninstalled"],
)
def test_after_a_restart_without_it_no_cached_page_or_sitemap_shows_it(
    site_db, restart: dict[str, str]
) -> None:
    # The page cache and the sitemap cache live in the database, which outlives the process.
    env = site_db
    before = run_python(ANONYMOUS_READ, "site_config.settings.test", env=env)
    assert before.returncode == 0, before.stderr
    assert before.stdout.splitlines() == [
        "/therapies/oncolytic-virus-therapy/ 200 MISS True",
        "/therapies/ 200 MISS True",
        "/sitemap-pages.xml 200 None True",
    ]
    after = run_python(ANONYMOUS_READ, "site_config.settings.test", env={**env, **restart})
    assert after.returncode == 0, after.stderr
    assert after.stdout.splitlines() == [
        "/therapies/oncolytic-virus-therapy/ 404 None False",
        "/therapies/ 200 MISS False",  # no link to it either
        "/sitemap-pages.xml 200 None False",
    ]


def entry_point_env(tmp_path) -> dict[str, str]:
    """A distribution declaring the plugin in the entry-point group, on the path of a child."""
    dist_info = tmp_path / "oncolytic_virus_plugin-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: oncolytic-virus-plugin\nVersion: 1.0\n"
    )
    (dist_info / "entry_points.txt").write_text(
        textwrap.dedent(
            """
            [immunotherapy.plugins]
            oncolytic_virus = tests.plugins.oncolytic_virus
            """
        )
    )
    return {
        "IMMUNOTHERAPY_PLUGINS": BUILT_INS,  # the setting no longer names it
        "IMMUNOTHERAPY_ENTRY_POINTS": "true",  # the test settings ignore entry points otherwise
        "PYTHONPATH": f"{tmp_path}:{PROJECT_DIR}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }


def test_enabled_by_an_entry_point_of_an_installed_distribution(tmp_path, site_db) -> None:
    env = entry_point_env(tmp_path)  # its DATABASE_URL is site_db's
    result = run_python(VISIT_SITE, "site_config.settings.test", env=env)
    assert result.returncode == 0, result.stderr
    assert "'oncolytic-virus'" in result.stdout.splitlines()[0]
    assert "/therapies/oncolytic-virus-therapy/ 200 True" in result.stdout
    # The test settings leave installed entry points out unless asked: the suite tests this
    # project alone whatever else is installed.
    ignored = run_python(
        "print('tests.plugins.oncolytic_virus' in settings.INSTALLED_APPS)",
        "site_config.settings.test",
        env={**env, "IMMUNOTHERAPY_ENTRY_POINTS": ""},
    )
    assert ignored.stdout.strip() == "False", ignored.stderr


@pytest.mark.parametrize("name", ["oncolytic_virus", "tests.plugins.oncolytic_virus"])
def test_an_entry_point_plugin_is_disabled_by_setting(tmp_path, site_db, name: str) -> None:
    env = entry_point_env(tmp_path)  # its DATABASE_URL is site_db's
    result = run_python(
        VISIT_SITE, "site_config.settings.test", env={**env, "IMMUNOTHERAPY_DISABLED_PLUGINS": name}
    )
    assert result.returncode == 0, result.stderr
    assert "oncolytic-virus" not in result.stdout.splitlines()[0]
    assert "/therapies/oncolytic-virus-therapy/ 404 False" in result.stdout
    assert "/sitemap-pages.xml 200 False" in result.stdout


def test_without_the_entry_point_the_setting_alone_decides() -> None:
    result = run_python(
        "print('tests.plugins.oncolytic_virus' in settings.INSTALLED_APPS)",
        "site_config.settings.test",
        env={"IMMUNOTHERAPY_PLUGINS": BUILT_INS},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


UNINSTALLED_VISIT = """
import re
EXPLAINED = re.compile("is a page of the [^,]+, which is [a-z ]+")
from django.contrib.auth.models import User
from django.test import Client
from wagtail.models import Page
page = Page.objects.get(slug="oncolytic-virus-therapy")
index = page.get_parent()
client = Client()
for url in ["/therapies/oncolytic-virus-therapy/", f"/api/v2/pages/{page.pk}/",
            "/sitemap-pages.xml", "/search/?q=Oncolytic", "/api/v2/pages/?fields=*",
            "/therapies/", "/"]:
    response = client.get(url)
    print(url, response.status_code, "oncolytic-virus-therapy" in response.content.decode())
client.force_login(User.objects.create_superuser("boss", "boss@example.org", "pw"))
response = client.get(f"/admin/pages/{index.pk}/")
print("explorer", response.status_code,
      re.search("plugin (disabled|not installed)", response.content.decode())[0])
from io import StringIO
from django.core.management import call_command
listing = StringIO()
call_command("therapy_plugins", stdout=listing)
[orphan] = [line for line in listing.getvalue().splitlines() if "oncolytic_virus." in line]
print("therapy_plugins", " ".join(orphan.split()))
response = client.get(f"/admin/pages/{page.pk}/edit/", follow=True)
print("edit", response.redirect_chain, EXPLAINED.search(response.content.decode())[0])
for url in [f"/admin/pages/{page.pk}/history/", f"/admin/pages/{page.pk}/history/results/"]:
    response = client.get(url)
    print("history", response.status_code, "Draft saved" in response.content.decode())
from wagtail.models import APIToken
_token, plaintext = APIToken.create_token(user=User.objects.get(username="boss"), name="t")
bearer = {"HTTP_AUTHORIZATION": "Bearer " + plaintext}
v3_listing = Client().get("/api/v3/pages/?limit=50", **bearer).content.decode()
print("v3", Client().get(f"/api/v3/pages/{page.pk}/", **bearer).status_code,
      "oncolytic-virus-therapy" in v3_listing)
response = client.post(f"/admin/pages/{page.pk}/delete/")
print("delete", response.status_code, Page.objects.filter(pk=page.pk).exists())
"""


def test_pages_of_an_uninstalled_plugin_leave_the_site_and_stay_manageable(
    tmp_path, site_db
) -> None:
    env = site_db
    # The process restarts without the plugin: its model and template are gone.
    gone = {**env, "IMMUNOTHERAPY_PLUGINS": BUILT_INS}
    result = run_python(UNINSTALLED_VISIT, "site_config.settings.test", env=gone)
    assert result.returncode == 0, result.stderr
    # The page was deleted by then, so its id is read from the run's own output.
    page_id = re.search(r"/api/v2/pages/(\d+)/ ", result.stdout)[1]
    assert result.stdout.splitlines() == [
        "/therapies/oncolytic-virus-therapy/ 404 False",
        f"/api/v2/pages/{page_id}/ 404 False",
        "/sitemap-pages.xml 200 False",  # no dead link
        "/search/?q=Oncolytic 200 False",
        "/api/v2/pages/?fields=* 200 False",
        "/therapies/ 200 False",
        "/ 200 False",
        "explorer 200 plugin not installed",
        "therapy_plugins oncolytic_virus.oncolyticviruspage 1 page(s) [plugin not installed]",
        f"edit [('/admin/pages/{_index_id(tmp_path)}/', 302)]"
        " is a page of the Oncolytic virus plugin, which is not installed",
        "history 200 True",
        "history 200 True",
        "v3 404 False",
        "delete 302 False",
    ], result.stdout


def test_the_admin_says_when_its_plugin_is_only_disabled(site_db) -> None:
    env = site_db
    disabled = {**env, "IMMUNOTHERAPY_DISABLED_PLUGINS": "oncolytic_virus"}
    result = run_python(UNINSTALLED_VISIT, "site_config.settings.test", env=disabled)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    [edit] = [line for line in lines if line.startswith("edit")]
    # Its verbose name is known: the plugin is still installed.
    assert edit.endswith("is a page of the Oncolytic virus therapy plugin, which is disabled")
    assert "explorer 200 plugin disabled" in lines
    assert "therapy_plugins oncolytic_virus.oncolyticviruspage 1 page(s) [plugin disabled]" in lines


def test_therapy_plugins_lists_and_purges_orphaned_pages(tmp_path, site_db) -> None:
    env = site_db
    gone = {**env, "IMMUNOTHERAPY_DISABLED_PLUGINS": "oncolytic_virus"}
    listing = run_manage("therapy_plugins", env={**gone, **SETTINGS})
    assert listing.returncode == 0, listing.stderr
    assert "disabled: oncolytic_virus" in listing.stdout
    assert re.search(r"oncolytic_virus\.oncolyticviruspage +1 page\(s\)", listing.stdout)
    dry = run_manage("therapy_plugins", "--purge", "oncolytic_virus", env={**gone, **SETTINGS})
    assert "dry run: would delete 1 page(s)" in dry.stdout
    assert _page_id(tmp_path) is not None
    purged = run_manage(
        "therapy_plugins", "--purge", "oncolytic_virus", "--yes", env={**gone, **SETTINGS}
    )
    assert purged.returncode == 0, purged.stderr
    assert "deleted 1 page(s)" in purged.stdout
    assert _page_id(tmp_path) is None
    again = run_manage("therapy_plugins", "--purge", "oncolytic_virus", env={**gone, **SETTINGS})
    assert again.returncode != 0
    assert "is not an orphaned page type with pages" in again.stderr


SETTINGS = {"DJANGO_SETTINGS_MODULE": "site_config.settings.test"}


def _query(tmp_path, sql: str) -> int | None:
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        row = db.execute(sql).fetchone()
    return row[0] if row else None


def _page_id(tmp_path) -> int | None:
    return _query(tmp_path, "SELECT id FROM wagtailcore_page WHERE slug='oncolytic-virus-therapy'")


def _index_id(tmp_path) -> int | None:
    return _query(tmp_path, "SELECT id FROM wagtailcore_page WHERE slug='therapies'")
