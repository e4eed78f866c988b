"""What a reader sees under an article: the thread, the reply links and the "Leave a Reply" form."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from comments.models import Comment
from comments.signals import comments_changed
from immunotherapy.page_cache import purge_all
from tests.comments.conftest import ARTICLE_URL

pytestmark = pytest.mark.django_db


def page_html(client, url: str = ARTICLE_URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def build_threads(article, roots: int, depth: int = 5) -> None:
    """`roots` top-level comments, each with a chain of replies `depth` levels deep."""
    parents: list[Comment | None] = [None] * roots
    for level in range(depth):
        parents = Comment.objects.bulk_create(
            Comment(
                page=article,
                parent=parent,
                author_name=f"Reader {index}-{level}",
                author_email=f"r{index}-{level}@example.org",
                author_url="https://reader.example" if index % 2 else "",
                body=f"Level {level} of thread {index}\nsecond line",
                status=Comment.Status.APPROVED,
            )
            for index, parent in enumerate(parents)
        )
    comments_changed.send(sender=Comment, page_ids={article.pk})  # bulk_create sends no post_save


def test_seed_article_shows_leave_a_reply_form(client, article) -> None:
    html = page_html(client)
    assert "Leave a Reply" in html
    assert f'action="/comments/{article.pk}/post/#respond"' in html
    assert "csrfmiddlewaretoken" not in html  # shared by every reader: an anonymous post needs none
    for label in ("Name", "Email", "Website", "Comment"):
        assert f">{label}" in html
    assert html.count('<span class="required" aria-hidden="true">*</span>') == 3
    assert "Your email address will not be published. Required fields are marked *" in html
    # Plain words up front, not WordPress's raw list of tags.
    assert "tags and attributes" not in html and "&lt;acronym" not in html
    assert (
        "A moderator checks your first comment, comments with 2 or more links and comments "
        "with a phone number or email address before they appear here."
    ) in html
    assert "<summary>Formatting your comment (optional)</summary>" in html
    assert "<li>bold: type <code>&lt;b&gt;bold&lt;/b&gt;</code></li>" in html
    assert "If you need urgent medical help" in html
    assert 'name="extra_comment"' in html  # the honeypot
    assert "<fieldset>" in html and "<legend>" in html


def test_a_signed_in_reader_gets_a_form_with_a_token_and_others_still_get_none(
    client, admin_client, article
) -> None:
    assert 'name="csrfmiddlewaretoken" value="' in page_html(admin_client)
    # Rendered after it, the shared page does not reuse the signed-in reader's form.
    assert "csrfmiddlewaretoken" not in page_html(client)


def test_moderation_notice_follows_the_settings(client, article, settings) -> None:
    settings.COMMENTS_MODERATE_ALL = True
    assert "A moderator checks every comment before it appears here." in page_html(client)
    settings.COMMENTS_MODERATE_ALL = False
    settings.COMMENTS_REQUIRE_PREVIOUS_APPROVAL = False
    settings.COMMENTS_MAX_LINKS = 1
    settings.COMMENTS_HOLD_CONTACT_DETAILS = False
    purge_all()
    assert "A moderator checks comments with a link before they appear here." in page_html(client)
    settings.COMMENTS_MAX_LINKS = 0
    purge_all()
    assert "A moderator checks" not in page_html(client)


def test_safety_notice_is_a_setting(client, article, settings) -> None:
    settings.COMMENTS_SAFETY_NOTICE = "Call 111 for urgent help."
    assert "Call 111 for urgent help." in page_html(client)
    settings.COMMENTS_SAFETY_NOTICE = ""
    purge_all()  # as the deploy that brings a new setting does (migrate)
    assert "comment-safety" not in page_html(client)


def test_approved_threaded_comments_are_shown(client, article, make_comment) -> None:
    parent = make_comment(
        author_name="Jo", author_url="https://jo.example/", body="Line one\nline two"
    )
    reply = make_comment(parent=parent, author_name="Sam", body="A <b>reply</b>")
    make_comment(status="pending", body="Not yet approved")
    make_comment(status="spam", body="Buy now")
    html = page_html(client)
    assert "2 comments on" in html
    assert '<a href="https://jo.example/" rel="nofollow ugc">Jo</a>' in html
    assert "<p>Line one<br>\nline two</p>" in html
    assert "<p>A <b>reply</b></p>" in html
    assert f'id="comment-{reply.pk}" class="comment depth-2"' in html
    assert html.index(f'id="comment-{parent.pk}"') < html.index('<ol class="children">')
    assert f'href="?replytocom={parent.pk}#respond"' in html
    assert "Not yet approved" not in html
    assert "Buy now" not in html
    assert "datetime=" in html


def test_public_page_never_shows_email_ip_or_user_agent(client, make_comment) -> None:
    comment = make_comment(
        author_name="Sam",
        body="Shown to readers.",
        author_email="secret@example.org",
        ip_address="203.0.113.77",
        user_agent="SecretUA",
    )
    html = page_html(client)
    # The comment is on the page, so what is missing was left out, not never rendered.
    assert f'id="comment-{comment.pk}"' in html
    assert "Sam" in html and "Shown to readers." in html
    for private in ("secret@example.org", "203.0.113.77", "SecretUA"):
        assert private not in html


def test_hostile_name_and_website_are_escaped(client, make_comment) -> None:
    make_comment(author_name='<script>alert("n")</script>', body="ok")
    html = page_html(client)
    assert '<script>alert("n")</script>' not in html
    assert "&lt;script&gt;alert(&quot;n&quot;)&lt;/script&gt;" in html


def test_a_body_stored_unclean_is_still_cleaned_on_display(client, make_comment) -> None:
    make_comment(body='<img src=x onerror="alert(1)">visible<script>alert(2)</script>')
    html = page_html(client)
    assert "onerror" not in html and "alert(2)" not in html
    assert "<p>visible</p>" in html


def test_reply_link_opens_the_form_for_that_parent(client, make_comment) -> None:
    parent = make_comment(author_name="Jo")
    html = page_html(client, f"{ARTICLE_URL}?replytocom={parent.pk}")
    assert "Leave a Reply to Jo" in html
    assert f'<input type="hidden" name="parent" value="{parent.pk}" id="id_parent">' in html
    assert "Cancel reply" in html


@pytest.mark.parametrize("value", ["abc", "999999", ""])
def test_unknown_reply_target_shows_the_plain_form(client, article, value) -> None:
    html = page_html(client, f"{ARTICLE_URL}?replytocom={value}")
    assert "Leave a Reply to" not in html
    assert '<input type="hidden" name="parent" id="id_parent">' in html


def test_deepest_comments_have_no_reply_link(client, article, make_comment, settings) -> None:
    settings.COMMENTS_MAX_DEPTH = 2
    parent = make_comment()
    child = make_comment(parent=parent)
    html = page_html(client)
    assert f"?replytocom={parent.pk}#" in html
    assert f"?replytocom={child.pk}#" not in html
    assert "Leave a Reply to" not in page_html(client, f"{ARTICLE_URL}?replytocom={child.pk}")


def test_closed_page_shows_comments_but_no_form(client, article, make_comment) -> None:
    make_comment(body="Earlier comment")
    article.comments_open = False
    article.save_revision().publish()
    html = page_html(client)
    assert "Comments are closed." in html
    assert "Earlier comment" in html
    assert "Leave a Reply" not in html
    assert "replytocom" not in html


def test_page_closes_after_configured_days(client, article, settings) -> None:
    settings.COMMENTS_CLOSE_AFTER_DAYS = 1
    article.first_published_at = article.first_published_at.replace(year=2000)
    article.save()
    assert "Comments are closed." in page_html(client)


def count_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        page_html(client)
    return len(queries)


def test_rendering_500_threaded_comments_costs_no_more_queries_than_5(
    client, article, settings
) -> None:
    settings.HTML_CACHE_TIMEOUT = 0  # every request renders the page
    build_threads(article, roots=1)
    assert Comment.objects.count() == 5
    page_html(client)  # warm caches (site root paths, content types)
    few = count_page_queries(client)
    build_threads(article, roots=99)
    assert Comment.objects.count() == 500
    html = page_html(client)
    assert "500 comments on" in html
    assert html.count('class="comment depth-5"') == 50  # COMMENTS_PER_PAGE threads a page
    assert count_page_queries(client) == few
    second = page_html(client, f"{ARTICLE_URL}?cpage=2")
    assert second.count('class="comment depth-5"') == 50
