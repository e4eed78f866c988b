"""Featured pages on the home: an editor's choice in order, else one page per therapy type."""

import re

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from home.models import HomePage
from immunotherapy.models import ArticleIndexPage, ArticlePage
from immunotherapy.registry import registry

pytestmark = pytest.mark.django_db


def featured_section(html: str) -> tuple[str, list[str]]:
    """(heading, card links) of the home page's featured section."""
    section = html.split('id="therapies-heading">')[1].split("</section>")[0]
    heading = section.split("</h2>")[0]
    return heading, re.findall(r'<h3 class="card__title"><a href="([^"]*)"', section)


def publish_home(admin_client, home: HomePage, chosen: list[Page]):
    data = nested_form_data(
        {
            "title": home.title,
            "slug": home.slug,
            "hero_heading": home.hero_heading,
            "hero_text": home.hero_text,
            "featured_choices": inline_formset([{"page": page.pk} for page in chosen]),
            "comments": inline_formset([]),
            "action-publish": "1",
        }
    )
    return admin_client.post(f"/admin/pages/{home.pk}/edit/", data)


def therapy_page(n: int = 0) -> Page:
    return registry.page_models()[n].objects.live().order_by("path").first()


def test_without_a_choice_the_home_shows_one_page_per_therapy_type(client, demo_content):
    heading, links = featured_section(client.get("/").content.decode())
    assert heading == "Types of immunotherapy"
    live_types = [t for t in registry if t.page_model.objects.live().exists()]
    assert len(links) == len(live_types) == len(set(links))


def test_an_editors_choice_shows_in_order_in_html_and_api(
    admin_client, client, demo_content, django_capture_on_commit_callbacks
):
    home = HomePage.objects.get()
    article, therapy = ArticlePage.objects.get(), therapy_page(1)
    client.get("/")  # kept in the page cache, to be purged by the publish
    with django_capture_on_commit_callbacks(execute=True):
        response = publish_home(admin_client, home, [therapy, article])
    assert response.status_code == 302, response.content.decode()[:2000]

    heading, links = featured_section(client.get("/").content.decode())
    assert heading == "Featured"
    assert links == [therapy.url, article.url]

    api = client.get(f"/api/v2/pages/{home.pk}/").json()
    featured = api["featured_pages"]
    assert [(item["id"], item["url"]) for item in featured] == [
        (therapy.pk, therapy.url),
        (article.pk, article.url),
    ]
    assert featured[1]["summary"] == article.intro  # an article's card shows its introduction
    assert featured[0]["summary"] == therapy.specific.summary


def test_an_unpublished_choice_leaves_the_home_and_the_api(
    admin_client, client, demo_content, django_capture_on_commit_callbacks
):
    home = HomePage.objects.get()
    article = ArticlePage.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        publish_home(admin_client, home, [article])
    assert featured_section(client.get("/").content.decode())[1] == [article.url]
    assert client.get(f"/api/v2/pages/{home.pk}/").json()["featured_pages"][0]["id"] == article.pk

    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()  # nothing chosen is left: back to one page per type
    heading, links = featured_section(client.get("/").content.decode())
    assert heading == "Types of immunotherapy"
    assert article.url not in links
    featured = client.get(f"/api/v2/pages/{home.pk}/").json()["featured_pages"]
    assert article.pk not in [item["id"] for item in featured]
    assert len(featured) == len(links)


def test_the_admin_refuses_a_draft_or_a_page_of_another_type(admin_client, demo_content):
    home = HomePage.objects.get()
    index = ArticleIndexPage.objects.get()
    response = publish_home(admin_client, home, [index])
    assert response.status_code == 200
    assert "Choose a therapy page or an article." in response.content.decode()

    draft = therapy_page()
    draft.unpublish()
    response = publish_home(admin_client, home, [draft])
    assert response.status_code == 200
    assert "This page is not published: publish it first." in response.content.decode()
    assert not home.featured_choices.exists()


def test_the_chooser_offers_only_therapy_pages_and_articles(admin_client, demo_content):
    home = HomePage.objects.get()
    html = admin_client.get(f"/admin/pages/{home.pk}/edit/").content.decode()
    assert "Featured pages" in html
    for model in (*registry.page_models(), ArticlePage):
        assert model._meta.label_lower in html  # the chooser's page_type filter
    assert "immunotherapy.articleindexpage" not in html.split("featured_choices")[1][:5000]
