"""API v2 fields and filters a front end relies on: every content field, ready-to-use blocks."""

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models

import pytest

from comments.models import Comment
from immunotherapy.models import ArticlePage
from immunotherapy.registry import registry

pytestmark = [pytest.mark.django_db, pytest.mark.backends]

# Model fields shown through another API field (the hero image and its alt text as `hero`, the
# reviewer snippet expanded as `reviewed_by`).
SHOWN_AS = {"hero_image": "hero", "hero_image_alt": "hero", "medical_reviewer": "reviewed_by"}
PAGE_FIELDS = {f.name for f in Page._meta.get_fields()}


def own_content_fields(model: type[Page]) -> set[str]:
    return {
        f.name
        for f in model._meta.get_fields()
        if f.concrete and f.name not in PAGE_FIELDS and not f.name.endswith("_ptr")
    }


@pytest.mark.parametrize(
    "model", [m for m in get_page_models() if m is not Page], ids=lambda m: m.__name__
)
def test_every_content_field_is_in_api_fields(model) -> None:
    api_names = {getattr(f, "name", f) for f in model.api_fields}
    missing = {SHOWN_AS.get(name, name) for name in own_content_fields(model)} - api_names
    assert not missing, f"{model.__name__} does not expose {sorted(missing)}"


def test_plugin_types_are_covered_too() -> None:
    assert "OncolyticVirusPage" in {m.__name__ for m in get_page_models()}


def listing(client, **params) -> dict:
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_therapy_type_filter(client, demo_content) -> None:
    data = listing(client, therapy_type="cancer-vaccines", fields="*")
    assert [item["therapy_type"]["slug"] for item in data["items"]] == ["cancer-vaccines"]
    assert data["items"][0]["body"]


def test_unknown_therapy_type_is_a_400_naming_the_known_ones(client, demo_content) -> None:
    response = client.get("/api/v2/pages/", {"therapy_type": "homeopathy"})
    assert response.status_code == 400
    assert "homeopathy" in response.json()["message"]
    assert "checkpoint-inhibitors" in response.json()["message"]


def test_type_child_of_descendant_of_order_search_locale(client, demo_content) -> None:
    index = Page.objects.get(slug="therapies")
    children = listing(client, child_of=index.pk, order="-title")["items"]
    titles = [item["title"] for item in children]
    assert len(titles) == 4  # the demo's therapy pages
    assert titles == sorted(titles, reverse=True)
    home = index.get_parent()
    descendants = listing(client, descendant_of=home.pk)["meta"]["total_count"]
    assert descendants > len(titles)
    articles = listing(client, type="immunotherapy.ArticlePage")["items"]
    assert [a["meta"]["type"] for a in articles] == ["immunotherapy.ArticlePage"]
    found = listing(client, search="checkpoint")["items"]
    assert any(item["title"] == "Immune checkpoint inhibitors" for item in found)
    assert listing(client, locale="en")["meta"]["total_count"] > 0
    only_title = listing(client, type="immunotherapy.ArticlePage", fields="_,title")["items"][0]
    assert set(only_title) == {"title"}


def test_comment_count_counts_approved_comments_only(client, demo_content) -> None:
    article = ArticlePage.objects.get()
    for status in (Comment.Status.APPROVED, Comment.Status.APPROVED, Comment.Status.PENDING):
        Comment.objects.create(
            page=article, author_name="A", author_email="a@example.org", body="Hi", status=status
        )
    detail = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert detail["comment_count"] == 2
    assert detail["comments_open"] is True
    items = listing(client, type="immunotherapy.ArticlePage", fields="comment_count")["items"]
    assert items[0]["comment_count"] == 2


def test_related_therapy_types_on_articles(client, demo_content) -> None:
    article = ArticlePage.objects.get()
    related = client.get(f"/api/v2/pages/{article.pk}/").json()["related_therapies"]
    assert {r["therapy_type"] for r in related} >= {"checkpoint-inhibitors", "cancer-vaccines"}


def test_rich_text_links_come_out_as_urls(client, demo_content) -> None:
    target = registry.get("adoptive-cell-therapy").page_model.objects.get()
    document = get_document_model()(title="Leaflet")
    document.file.save("leaflet.pdf", ContentFile(b"%PDF-1.4 leaflet"), save=True)
    article = ArticlePage.objects.get()
    body = list(article.body.raw_data)
    body.append(
        {
            "type": "paragraph",
            "value": f'<p><a linktype="page" id="{target.pk}">Cell therapy</a> and '
            f'<a linktype="document" id="{document.pk}">the leaflet</a></p>',
        }
    )
    article.body = body
    article.save_revision().publish()
    html = client.get(f"/api/v2/pages/{article.pk}/").json()["body"][-1]["value"]
    assert "linktype" not in html
    assert f'href="{target.url}"' in html
    assert f'href="{document.url}"' in html


def test_every_stream_field_is_exposed() -> None:
    for model in [*registry.page_models(), ArticlePage]:
        api_names = {getattr(f, "name", f) for f in model.api_fields}
        streams = {f.name for f in model._meta.concrete_fields if isinstance(f, StreamField)}
        assert streams <= api_names


def test_search_within_one_therapy_type_keeps_every_field(client, demo_content) -> None:
    data = listing(client, therapy_type="cancer-vaccines", search="vaccine", fields="*")
    assert [item["therapy_type"]["slug"] for item in data["items"]] == ["cancer-vaccines"]
    assert data["items"][0]["comment_count"] == 0
