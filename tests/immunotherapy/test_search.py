"""Site search as readers use it: ranked, paged, highlighted, forgiving of misspelt drug names."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from immunotherapy.search import excerpt, suggest
from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
from tests.factories import AgentFactory, make_therapy_page, required_body, section_block

pytestmark = [pytest.mark.django_db, pytest.mark.backends]


def result_titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="card__title"><a href="[^"]*">([^<]*)</a>', html)


def add_pages(therapy_index, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        make_therapy_page(
            therapy_index,
            CheckpointInhibitorPage,
            title=f"Page {n}",
            slug=f"page-{n}",
            body=required_body(section_block("Notes", "<p>Melanoma is mentioned here.</p>")),
        )


def test_a_page_named_for_the_words_comes_first(client, therapy_index) -> None:
    add_pages(therapy_index, 3)
    make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Melanoma", slug="melanoma")
    html = client.get("/search/", {"q": "melanoma"}).content.decode()
    assert result_titles(html)[0] == "Melanoma"
    assert "4 results" in html


def test_results_are_paged_with_accessible_links(client, therapy_index) -> None:
    add_pages(therapy_index, 12)
    first = client.get("/search/", {"q": "melanoma"}).content.decode()
    second = client.get("/search/", {"q": "melanoma", "page": 2}).content.decode()
    assert len(result_titles(first)) == 10 and len(result_titles(second)) == 2
    assert not set(result_titles(first)) & set(result_titles(second))
    assert '<nav class="pagination" aria-label="Search result pages">' in first
    assert 'href="?q=melanoma&amp;page=2" aria-current="page"' in second


def test_each_result_has_an_excerpt_with_the_words_marked(client, therapy_index) -> None:
    add_pages(therapy_index, 1)
    html = client.get("/search/", {"q": "melanoma"}).content.decode()
    assert "<mark>Melanoma</mark> is mentioned here." in html


def test_excerpt_escapes_page_text_and_centres_on_the_first_match() -> None:
    text = " ".join(f"word{n}" for n in range(100)) + " <b>PD-1</b> & more"
    html = str(excerpt(text, ["pd-1"], words=10))
    assert html.startswith("… ")
    assert "&lt;b&gt;<mark>PD-1</mark>&lt;/b&gt;" in html
    assert "&amp;" in html and "<b>" not in html


def test_search_costs_the_same_queries_for_5_and_40_matching_pages(client, therapy_index):
    add_pages(therapy_index, 5)
    client.get("/search/", {"q": "melanoma"})
    with CaptureQueriesContext(connection) as few:
        client.get("/search/", {"q": "melanoma"})
    add_pages(therapy_index, 35, start=5)
    client.get("/search/", {"q": "melanoma"})  # as before `few`: what is kept per version is kept
    with CaptureQueriesContext(connection) as many:
        html = client.get("/search/", {"q": "melanoma"}).content.decode()
    assert "40 results" in html
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("pembrolizmab", "pembrolizumab"),
        ("pembrolizumab", None),  # spelt right: nothing to suggest
        ("nivolumb side effects", "nivolumab side effects"),
        ("Keytruda", "pembrolizumab"),  # a brand name leads to the generic name
        ("zzzz", None),
    ],
)
def test_suggestions_for_misspelt_drug_names(db, typed, meant) -> None:
    AgentFactory()
    AgentFactory(generic_name="nivolumab", brand_names="Opdivo")
    assert suggest(typed) == meant


def test_a_search_that_finds_nothing_offers_the_right_spelling(client, therapy_index) -> None:
    AgentFactory()
    html = client.get("/search/", {"q": "pembrolizamab"}).content.decode()
    assert "0 results" in html
    assert 'Did you mean <a href="?q=pembrolizumab">pembrolizumab</a>?' in html
    assert f'href="{therapy_index.url}"' in html


def test_api_search_uses_the_same_ranking(client, therapy_index) -> None:
    add_pages(therapy_index, 3)
    make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Melanoma", slug="melanoma")
    data = client.get("/api/v2/pages/", {"search": "melanoma"}).json()
    assert data["meta"]["total_count"] == 4
    assert data["items"][0]["title"] == "Melanoma"


def test_past_the_candidate_bound_a_page_named_for_the_words_still_comes_first(
    client, therapy_index, monkeypatch
) -> None:
    import importlib

    # The vendor's module only: each imports models that exist on its database alone.
    module = {"postgresql": "postgres"}.get(connection.vendor, connection.vendor)
    backend = importlib.import_module(f"immunotherapy.search_backend.{module}")
    monkeypatch.setattr(backend, "MAX_RANKED_CANDIDATES", 5)
    add_pages(therapy_index, 8)
    make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Melanoma", slug="melanoma")
    html = client.get("/search/", {"q": "melanoma"}).content.decode()
    assert result_titles(html)[0] == "Melanoma"
    assert 5 <= len(result_titles(html)) <= 6  # the bounded candidates, the named page among them
    api = client.get("/api/v2/pages/", {"search": "melanoma"}).json()
    assert api["items"][0]["title"] == "Melanoma"


def agent_table_block(*agents) -> dict:
    return {
        "type": "agent_table",
        "value": {"heading": "Medicines", "agents": [a.pk for a in agents]},
    }


@pytest.mark.parametrize("query", ["keytruda", "Keytruda", "MK-3475", "pembrolizumab"])
def test_brand_names_and_synonyms_of_the_medicines_shown_find_the_page(
    client, therapy_index, query
) -> None:
    agent = AgentFactory(synonyms="MK-3475, lambrolizumab")
    body = required_body(agent_table_block(agent))
    make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Checkpoints", body=body)
    make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Other", slug="other")
    assert result_titles(client.get("/search/", {"q": query}).content.decode()) == ["Checkpoints"]
    api = client.get("/api/v2/pages/", {"search": query}).json()
    assert [item["title"] for item in api["items"]] == ["Checkpoints"]


def test_a_new_brand_name_is_found_at_once(client, therapy_index) -> None:
    agent = AgentFactory()
    body = required_body(agent_table_block(agent))
    make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Checkpoints", body=body)
    assert result_titles(client.get("/search/", {"q": "Lambro"}).content.decode()) == []
    agent.synonyms = "Lambro"
    agent.save()
    assert result_titles(client.get("/search/", {"q": "Lambro"}).content.decode()) == [
        "Checkpoints"
    ]


ODD_QUERIES = [
    '"',
    'immune"',
    "'\"<script>",
    "\x00",
    "immune\x00cells",
    " ",
    "\t",
    "\n",
    "\r",
    "immune " * 1000,
    "x" * 7000,
    "a AND OR NOT ( NEAR(b c) title:d ^e *",
    "-",
]
SEARCH_PLACES = [
    ("/search/", "q"),
    ("/api/v2/pages/", "search"),
    ("/api/v3/pages/", "search"),
    ("/api/v2/images/", "search"),
    ("/admin/images/", "q"),
    ("/admin/snippets/immunotherapy/agent/", "q"),
]


@pytest.mark.parametrize("query", ODD_QUERIES)
@pytest.mark.parametrize(("path", "param"), SEARCH_PLACES)
def test_any_text_typed_as_a_search_gets_a_normal_answer(
    admin_client, therapy_index, path, param, query
) -> None:
    make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Immune cells", slug="immune")
    AgentFactory()
    response = admin_client.get(path, {param: query})
    assert response.status_code == 200, response.content[:500]
    if path.startswith("/api/"):
        assert isinstance(response.json()["items"], list)


@pytest.mark.parametrize(
    "query",
    ['"pembrolizumab"', 'pembrolizumab"', "'pembrolizumab'", "(pembrolizumab*)", "-pembrolizumab"],
)
def test_quotes_and_operators_in_a_search_are_read_as_words(client, therapy_index, query) -> None:
    make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Pembrolizumab", slug="pembro")
    make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Other", slug="other")
    assert result_titles(client.get("/search/", {"q": query}).content.decode()) == ["Pembrolizumab"]
    api = client.get("/api/v2/pages/", {"search": query}).json()
    assert [item["title"] for item in api["items"]] == ["Pembrolizumab"]


@pytest.mark.parametrize("path", ["/api/v2/pages/", "/api/v3/pages/", "/api/v2/images/"])
@pytest.mark.parametrize("blank", [" ", "\t\r\n", "\x00"])
def test_a_blank_api_search_answers_as_an_empty_one(client, therapy_index, path, blank) -> None:
    make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Immune cells", slug="immune")
    assert client.get(path, {"search": blank}).json() == client.get(path, {"search": ""}).json()


def test_a_long_search_is_cut_between_words_and_still_finds_the_page(client, therapy_index):
    make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Immune cells", slug="immune")
    make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Other", slug="other")
    html = client.get("/search/", {"q": "immune " * 29}).content.decode()
    assert result_titles(html) == ["Immune cells"]
    api = client.get("/api/v2/pages/", {"search": "immune " * 1000}).json()
    assert [item["title"] for item in api["items"]] == ["Immune cells"]
