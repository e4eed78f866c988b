"""The example out-of-tree plugin proves the mechanism: enabled with no core edit, it appears in
the admin, on the site, in both APIs, in search and in the sitemap; disabled, the site still works.

The test settings enable it by adding it to IMMUNOTHERAPY_PLUGINS (site_config/settings/test.py).
"""

import json
import textwrap

from wagtail.models import APIToken

import pytest

from immunotherapy.plugins import DEFAULT_PLUGINS
from immunotherapy.registry import registry
from tests.factories import make_therapy_page, required_body
from tests.helpers import PROJECT_DIR, run_python
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
    assert "Herpes simplex 1" in html  # the plugin's block, which ships no template
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
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert f"<loc>http://localhost{virus_page.url}</loc>" in response.content.decode()


BUILD_SITE = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
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
    make_therapy_page(index, therapy_type.page_model, title=therapy_type.label,
                      summary="About " + therapy_type.label)
"""

VISIT_SITE = """
from django.test import Client
from immunotherapy.registry import registry
print("slugs", sorted(t.slug for t in registry))
client = Client()
for url in ["/", "/therapies/", "/therapies/immune-checkpoint-inhibitors/", "/sitemap.xml",
            "/search/?q=therapy", "/api/v2/pages/?fields=*", "/therapies/oncolytic-virus-therapy/"]:
    response = client.get(url)
    print(url, response.status_code, "Oncolytic" in response.content.decode())
"""


def test_disabling_it_leaves_the_site_working(tmp_path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    built = run_python(BUILD_SITE, "site_config.settings.test", env=env)
    assert built.returncode == 0, built.stderr
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
        "/sitemap.xml 200 False",
        "/search/?q=therapy 200 False",
        "/api/v2/pages/?fields=* 200 False",
        "/therapies/oncolytic-virus-therapy/ 404 False",
    ]


def test_enabled_by_an_entry_point_of_an_installed_distribution(tmp_path) -> None:
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
    env = {
        "IMMUNOTHERAPY_PLUGINS": BUILT_INS,  # the setting no longer names it
        "PYTHONPATH": f"{tmp_path}:{PROJECT_DIR}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = run_python(BUILD_SITE + VISIT_SITE, "site_config.settings.test", env=env)
    assert result.returncode == 0, result.stderr
    assert "'oncolytic-virus'" in result.stdout.splitlines()[0]
    assert "/therapies/oncolytic-virus-therapy/ 200 True" in result.stdout


def test_without_the_entry_point_the_setting_alone_decides() -> None:
    result = run_python(
        "print('tests.plugins.oncolytic_virus' in settings.INSTALLED_APPS)",
        "site_config.settings.test",
        env={"IMMUNOTHERAPY_PLUGINS": BUILT_INS},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
