"""Parts of a page's HTML kept for readers the page cache cannot serve, until the page changes."""

import urllib.request

from django.test import Client

from wagtail import hooks
from wagtail.models import Page

import pytest

from comments.models import Comment
from immunotherapy.models import ArticlePage
from immunotherapy.page_cache import purge_pages
from immunotherapy.signals import pages_changed
from tests.factories import make_article
from tests.helpers import gunicorn_server
from tests.immunotherapy.test_api_freshness import server_env, shell

pytestmark = [pytest.mark.django_db, pytest.mark.backends]


@pytest.fixture
def article(home_page) -> ArticlePage:
    return make_article(home_page, slug="living", index_slug="articles")


@pytest.fixture
def reader() -> Client:
    """A reader with a session (after posting a comment, say): the page cache passes them by."""
    client = Client()
    client.cookies["sessionid"] = "a-reader-session"
    return client


def rewrite_body(page: Page, text: str) -> None:
    """Change the article's body without any signal, as another process's write looks here."""
    body = [{"type": "paragraph", "value": f"<p>{text}</p>"}]
    ArticlePage.objects.filter(pk=page.pk).update(body=body)


def test_the_article_body_is_kept_until_the_page_changes(reader, article) -> None:
    assert reader.get(article.url).status_code == 200
    rewrite_body(article, "Rewritten elsewhere")
    assert b"Rewritten elsewhere" not in reader.get(article.url).content  # kept
    pages_changed.send(sender=Page, page_ids=frozenset({article.pk}))
    assert b"Rewritten elsewhere" in reader.get(article.url).content


def test_publishing_shows_the_new_body(reader, article, django_capture_on_commit_callbacks):
    reader.get(article.url)
    article.body = [("paragraph", "<p>Published today</p>")]
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert b"Published today" in reader.get(article.url).content


def test_a_render_that_began_before_a_change_is_not_kept(reader, article) -> None:
    calls = []

    def change_during_render(page, request, serve_args, serve_kwargs):
        if not calls:
            calls.append(page.pk)
            rewrite_body(article, "Changed meanwhile")
            purge_pages([article.pk])

    with hooks.register_temporarily("before_serve_page", change_during_render):
        stale = reader.get(article.url)
    assert b"Changed meanwhile" not in stale.content  # rendered from the page read before
    assert b"Changed meanwhile" in reader.get(article.url).content


def test_drafts_never_reach_the_kept_fragments(reader, article, admin_client) -> None:
    reader.get(article.url)
    article.body = [("paragraph", "<p>Draft paragraph</p>")]
    article.save_revision()
    assert b"Draft paragraph" in admin_client.get(f"/admin/pages/{article.pk}/view_draft/").content
    assert b"Draft paragraph" not in reader.get(article.url).content
    assert b"Draft paragraph" not in Client().get(article.url).content


def test_nothing_is_kept_when_the_page_cache_is_off(reader, article, settings) -> None:
    settings.HTML_CACHE_TIMEOUT = 0
    reader.get(article.url)
    rewrite_body(article, "Seen at once")
    assert b"Seen at once" in reader.get(article.url).content


def test_a_remembered_route_is_checked_against_the_page(reader, home_page, article) -> None:
    """Routes are remembered per content version; a page unpublished or moved by a write that
    sent no signal is still not served at its old address."""
    other = make_article(home_page, slug="other", index_slug="more-articles")
    assert reader.get(article.url).status_code == 200
    assert reader.get(other.url).status_code == 200
    Page.objects.filter(pk=article.pk).update(live=False)
    assert reader.get(article.url).status_code == 404
    Page.objects.filter(pk=other.pk).update(slug="moved", url_path=f"{other.url_path}moved/")
    assert reader.get(other.url).status_code == 404


def html(url: str) -> str:
    cookie = {"Cookie": "sessionid=a-reader-session"}
    request = urllib.request.Request(url, headers=cookie)  # noqa: S310 - local server
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - local server
        return response.read().decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_changes_made_elsewhere_reach_every_server_s_kept_fragments(article) -> None:
    """Two app servers keep the article's comment list and body; a comment approved and an edit
    published from `manage.py shell` show on both at their next render."""
    comment = Comment.objects.create(
        page=article, author_name="Reader", author_email="r@example.org", body="Kind words"
    )
    with gunicorn_server(server_env()) as a, gunicorn_server(server_env()) as b:
        for server in (a, b):
            page = html(server + article.url)
            assert "Kind words" not in page
            assert "Published elsewhere" not in page
        shell(
            "from comments.models import Comment; from comments.services import comment_approve; "
            "from django.contrib.auth import get_user_model; "
            "moderator = get_user_model().objects.create_user('mod', 'm@example.org', 'pw'); "
            f"comment_approve(comment=Comment.objects.get(pk={comment.pk}), moderator=moderator); "
            f"from wagtail.models import Page; p = Page.objects.get(pk={article.pk}).specific; "
            "p.body = [('paragraph', '<p>Published elsewhere</p>')]; p.save_revision().publish()"
        )
        for server in (a, b):
            page = html(server + article.url)
            assert "Kind words" in page
            assert "Published elsewhere" in page
