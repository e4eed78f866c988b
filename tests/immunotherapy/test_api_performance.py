"""Query-count bounds of the API (the timings are in `make bench`): a regression fails here.

Each request is measured with an empty cache, so nothing is served from a cached response
or a cached rendition.
"""

import pytest

from benchmarks import scenarios

pytestmark = pytest.mark.django_db


def test_listing_costs_the_same_queries_for_20_or_60_pages(client, demo_content) -> None:
    scenarios.add_therapy_pages(20)
    client.get(scenarios.LISTING_URL)  # renditions are made once, on the first read
    with_20 = scenarios.count_queries(client, scenarios.LISTING_URL)
    scenarios.add_therapy_pages(60)
    with_60 = scenarios.count_queries(client, scenarios.LISTING_URL)
    assert with_20 == with_60
    assert with_60 <= scenarios.LISTING_MAX_QUERIES
    items = client.get(scenarios.LISTING_URL).json()["items"]
    assert len(items) == 20
    assert {item["therapy_type"]["slug"] for item in items} == {scenarios.THERAPY_TYPE}
    assert all(item["body"] and item["hero"]["url"] for item in items)


def test_detail_of_a_thirty_block_page(client, demo_content) -> None:
    page = scenarios.make_long_page()
    url = scenarios.detail_url(page)
    client.get(url)
    assert scenarios.count_queries(client, url) <= scenarios.DETAIL_MAX_QUERIES
    body = client.get(url).json()["body"]
    assert len(body) == 30
    agent_table = next(b for b in body if b["type"] == "agent_table")
    assert agent_table["value"]["agents"][0]["generic_name"]
    figure = next(b for b in body if b["type"] == "figure")
    assert set(figure["value"]["image"]) >= {"url", "width", "height", "alt"}


def test_comments_of_a_page_with_500_comments(client, demo_content) -> None:
    page = scenarios.make_commented_page(5)
    url = scenarios.comments_url(page)
    with_5 = scenarios.count_queries(client, url)
    scenarios.make_commented_page(500)
    with_500 = scenarios.count_queries(client, url)
    assert with_5 == with_500
    assert with_500 <= scenarios.COMMENTS_MAX_QUERIES
    data = client.get(url).json()
    assert data["meta"]["total_count"] == 500
    assert len(data["items"]) == 100
