"""The sitemap: an index of paged sections, cached, and fresh in every process after a change."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page

import pytest

from immunotherapy.signals import pages_changed
from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
from tests.factories import make_therapy_page

pytestmark = pytest.mark.backends

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def therapy_pages(therapy_index) -> list[Page]:
    return [
        make_therapy_page(therapy_index, CheckpointInhibitorPage, title=f"T {n}", slug=f"t-{n}")
        for n in range(3)
    ]


def test_index_links_numbered_sections(client, therapy_pages, settings) -> None:
    settings.SITEMAP_PAGE_SIZE = 2  # home, index and 3 therapy pages: 3 sections
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert index["Content-Type"] == "application/xml"
    body = index.content.decode()
    assert "<sitemapindex" in body
    for suffix in ("", "?p=2", "?p=3"):
        assert f"<loc>http://testserver/sitemap-pages.xml{suffix}</loc>" in body
    assert "?p=4" not in body
    urls = []
    for number in (1, 2, 3):
        section = client.get("/sitemap-pages.xml", {"p": number}).content.decode()
        urls += section.split("<loc>")[1:]
    assert len(urls) == 5
    assert any("/therapies/t-2/</loc>" in url for url in urls)


def test_a_new_page_size_is_not_served_from_the_cache(client, therapy_pages, settings) -> None:
    # As after a restart with another SITEMAP_PAGE_SIZE: the cached sitemap outlives processes.
    settings.SITEMAP_PAGE_SIZE = 100
    assert client.get("/sitemap-pages.xml").content.decode().count("<url>") == 5
    settings.SITEMAP_PAGE_SIZE = 2
    assert client.get("/sitemap-pages.xml").content.decode().count("<url>") == 2
    assert "?p=3" in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("query", ["?p=9", "?p=0", "?p=x"])
def test_a_section_page_past_the_end_or_malformed_is_not_found(client, therapy_pages, query):
    assert client.get(f"/sitemap-pages.xml{query}").status_code == 404
    assert client.get(f"/sitemap-other.xml{query}").status_code == 404


def test_a_cached_sitemap_reads_no_page(client, therapy_pages) -> None:
    client.get("/sitemap-pages.xml")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap-pages.xml").status_code == 200
    sql = [query["sql"] for query in queries]
    assert not [q for q in sql if "wagtailcore_page" in q and "pagelogentry" not in q]
    assert len([q for q in sql if "pagelogentry" in q]) == 1  # the newest entry keys the cache


def test_pages_changed_refreshes_a_change_made_without_a_log_entry(client, therapy_pages):
    assert "/therapies/t-1/" in client.get("/sitemap-pages.xml").content.decode()
    Page.objects.filter(pk=therapy_pages[1].pk).update(live=False)
    pages_changed.send(sender=Page, page_ids=frozenset({therapy_pages[1].pk}))
    assert "/therapies/t-1/" not in client.get("/sitemap-pages.xml").content.decode()


def database_url() -> str:
    """The test database as a DATABASE_URL another process can use."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_unpublished_in_another_process_leaves_the_cached_sitemap(client, home_page):
    from tests.factories import make_therapy_index

    index = make_therapy_index(home_page)
    page = make_therapy_page(index, CheckpointInhibitorPage, title="Gone soon", slug="gone-soon")
    assert "/therapies/gone-soon/" in client.get("/sitemap-pages.xml").content.decode()
    script = f"from wagtail.models import Page; Page.objects.get(pk={page.pk}).specific.unpublish()"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
    }
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True
    )
    assert "/therapies/gone-soon/" not in client.get("/sitemap-pages.xml").content.decode()
