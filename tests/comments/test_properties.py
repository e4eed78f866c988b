"""Property tests (hypothesis, fixed seed, bounded examples): the sanitiser keeps only what the
whitelist allows whatever it is given, and the comments API answers any JSON body without a
server error, with a JSON error on every refusal and nothing stored."""

import json
from html.parser import HTMLParser

from django.conf import settings as django_settings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments.models import Comment
from comments.sanitizer import clean_comment_html, is_safe_url

pytestmark = pytest.mark.backends

FUZZ = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TAGS = ["a", "b", "em", "script", "style", "img", "iframe", "blockquote", "strong", "p", "svg"]
ATTRIBUTES = ["href", "src", "onclick", "style", "cite", "title", "onerror"]
VALUES = st.sampled_from(
    ["https://x.org", "javascript:alert(1)", "java\tscript:x", " data:text/html,x", "/a", "#b"]
) | st.text(max_size=20)


@st.composite
def html_fragments(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        tag = draw(st.sampled_from(TAGS))
        attrs = " ".join(
            f'{name}="{value}"'
            for name, value in draw(
                st.lists(st.tuples(st.sampled_from(ATTRIBUTES), VALUES), max_size=3)
            )
        )
        parts.append(f"<{tag} {attrs}>{draw(st.text(max_size=15))}</{tag}>")
        parts.append(draw(st.text(max_size=10)))
    return "".join(parts)


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.found.append((tag, attrs))


@FUZZ
@given(st.one_of(html_fragments(), st.text(max_size=200)))
def test_cleaned_html_has_only_whitelisted_tags_and_safe_urls(raw: str) -> None:
    cleaned = clean_comment_html(raw)
    parser = Collector()
    parser.feed(cleaned)
    allowed = django_settings.COMMENTS_ALLOWED_TAGS
    for tag, attrs in parser.found:
        assert tag in allowed, cleaned
        for name, value in attrs:
            assert name in allowed[tag] or (tag == "a" and name == "rel"), cleaned
            if name in {"href", "cite"}:
                assert is_safe_url(value or ""), cleaned


@FUZZ
@given(st.one_of(html_fragments(), st.text(max_size=200)))
def test_cleaning_twice_changes_nothing(raw: str) -> None:
    once = clean_comment_html(raw)
    assert clean_comment_html(once) == once


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ["page", "parent", "author_name", "author_email", "author_url", "body", "extra_comment"]


@pytest.mark.django_db
@FUZZ
@given(
    st.one_of(
        JSON,
        st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, JSON)),
    )
)
def test_any_json_body_gets_an_answer_and_refusals_store_nothing(client, article, body) -> None:
    before = Comment.objects.count()
    response = client.post("/api/v2/comments/", json.dumps(body), content_type="application/json")
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.json()  # a JSON error with something in it
        assert Comment.objects.count() == before


@pytest.mark.django_db
@FUZZ
@given(st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=40), max_size=7))
def test_any_form_post_gets_an_answer_and_refusals_store_nothing(client, article, data) -> None:
    before = Comment.objects.count()
    response = client.post(f"/comments/{article.pk}/post/", data)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert Comment.objects.count() == before
