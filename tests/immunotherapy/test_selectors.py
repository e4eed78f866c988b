"""Home and therapy index listings: one card per type at home, the index grouped and paged,
both in the same few queries however many therapy pages exist."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from immunotherapy.models import TherapyIndexPage
from immunotherapy.models.pages import THERAPY_INDEX_PAGE_SIZE
from immunotherapy.registry import registry
from tests import scenarios

pytestmark = [pytest.mark.django_db, pytest.mark.backends]


def cards(html: str) -> list[str]:
    return re.findall(r'<h3 class="card__title"><a href="([^"]*)"', html)


def queries(client, url: str) -> int:
    client.get(url)  # renditions are made on a first read
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_home_and_index_cost_the_same_queries_for_20_and_2000_pages(client, demo_content):
    index_url = TherapyIndexPage.objects.get().url
    scenarios.add_therapy_pages(20)
    few = {url: queries(client, url) for url in ("/", index_url)}
    scenarios.add_therapy_pages(2000)
    for url, count in few.items():
        assert queries(client, url) == count, url
        assert count <= 20, url


def test_home_features_one_page_per_therapy_type(client, demo_content) -> None:
    scenarios.add_therapy_pages(30)
    home = client.get("/").content.decode()
    section = home.split('id="therapies-heading"')[1].split("</section>")[0]
    live_types = [t for t in registry if t.page_model.objects.live().exists()]
    assert len(cards(section)) == len(live_types)
    assert section.count(".fill-480x240.") == len(live_types)  # a card rendition each


def test_index_groups_by_type_and_pages(client, demo_content) -> None:
    scenarios.add_therapy_pages(40)
    index_url = TherapyIndexPage.objects.get().url
    first = client.get(index_url).content.decode()
    assert len(cards(first)) == THERAPY_INDEX_PAGE_SIZE
    assert '<nav class="pagination" aria-label="Therapy pages">' in first
    headings = re.findall(r'<h2 id="type-\d+">([^<]*)</h2>', first)
    assert headings and len(headings) == len(set(headings))  # each type's heading once
    second = client.get(index_url, {"page": 2}).content.decode()
    assert not set(cards(first)) & set(cards(second))
    total = sum(1 for t in registry for _ in t.page_model.objects.live())
    assert len(cards(first)) + len(cards(second)) == total
    assert client.get(index_url, {"page": "x"}).status_code == 200


def test_a_page_number_past_the_end_shows_the_last_page(client, demo_content) -> None:
    scenarios.add_therapy_pages(40)
    index_url = TherapyIndexPage.objects.get().url
    last = client.get(index_url, {"page": 2}).content.decode()
    assert cards(client.get(index_url, {"page": 99}).content.decode()) == cards(last)
    assert cards(client.get(index_url, {"page": -3}).content.decode()) == cards(
        client.get(index_url).content.decode()
    )
