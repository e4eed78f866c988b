"""Query-count bounds of the API (the timings are in `make bench`): a regression fails here.

Each request is measured with an empty cache, so nothing is served from a cached response
or a cached rendition.
"""

import pytest

from tests import scenarios

pytestmark = [pytest.mark.django_db, pytest.mark.backends]


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


@pytest.mark.parametrize("fields", ["", "&fields=*", "&fields=_,id,title"])
def test_a_listing_of_every_page_type_costs_the_same_queries_for_any_limit_and_size(
    client, demo_content, fields: str
) -> None:
    def counts() -> dict[int, int]:
        return {
            limit: scenarios.count_queries(client, f"/api/v2/pages/?limit={limit}{fields}")
            for limit in (1, 20, 100)
        }

    scenarios.add_therapy_pages(30)
    small = counts()
    scenarios.add_therapy_pages(150)
    large = counts()
    assert small == large
    assert len(set(large.values())) == 1, large
    assert large[100] <= scenarios.LISTING_MAX_QUERIES
    types = {
        item["meta"]["type"] for item in client.get("/api/v2/pages/?limit=100").json()["items"]
    }
    assert len(types) >= 4  # home, indexes, articles and therapy pages in one listing


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
