"""Posting through the HTML form: CSRF for signed-in readers, post-redirect-get, messages, every
error a reader hits."""

import re

from django.test import Client

from wagtail.models import PageViewRestriction

import pytest

from comments.models import Comment
from comments.views import EXPIRED_MESSAGE, PENDING_MESSAGE, PUBLISHED_MESSAGE
from tests.comments.conftest import ARTICLE_URL
from tests.helpers import FLOOD_MESSAGE

pytestmark = [pytest.mark.django_db, pytest.mark.backends]


def post_url(article) -> str:
    return f"/comments/{article.pk}/post/"


def test_post_redirects_back_and_says_awaiting_moderation(client, article, valid_post) -> None:
    response = client.post(post_url(article), valid_post, REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 302
    assert response["Location"] == f"{ARTICLE_URL}#respond"
    comment = Comment.objects.get()
    assert comment.status == "pending"
    assert comment.ip_address == "198.51.100.4"
    assert comment.page_id == article.pk
    followed = client.get(response["Location"]).content.decode()
    assert PENDING_MESSAGE in followed
    assert "Thank you, this helped me" not in followed  # held, so not shown yet
    # A reload of the page is a GET: nothing is posted twice, and the message is gone.
    assert "awaiting moderation" not in client.get(ARTICLE_URL).content.decode()
    assert Comment.objects.count() == 1


def test_approved_comment_redirects_to_itself(client, article, make_comment, valid_post) -> None:
    make_comment(author_name="Alex Reader", author_email="alex@example.org")
    response = client.post(post_url(article), valid_post)
    comment = Comment.objects.latest("pk")
    assert comment.status == "approved"
    assert response["Location"] == f"{ARTICLE_URL}#comment-{comment.pk}"
    html = client.get(ARTICLE_URL).content.decode()
    assert "Thank you: your comment is published." in html
    assert "Thank you, this helped me" in html


def test_a_returning_readers_pasted_web_addresses_wait_for_a_moderator(
    client, article, make_comment, valid_post
) -> None:
    make_comment(author_name="Alex Reader", author_email="alex@example.org")
    body = "See https://a.example.com and www.b.example.org for more"
    response = client.post(post_url(article), {**valid_post, "body": body})
    comment = Comment.objects.latest("pk")
    assert (comment.status, comment.held_reasons) == ("pending", ["links"])
    followed = client.get(response["Location"]).content.decode()
    assert PENDING_MESSAGE in followed and "www.b.example.org" not in followed


def test_reply_through_the_form(client, article, make_comment, valid_post) -> None:
    parent = make_comment()
    client.post(post_url(article), {**valid_post, "parent": parent.pk})
    assert Comment.objects.latest("pk").parent == parent


def test_an_anonymous_reader_posts_from_the_shared_page_without_a_token(article, valid_post):
    """No script needed: the cached form has no token, and an anonymous post needs none."""
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(ARTICLE_URL)
    assert not page.cookies  # the page is shared by every reader: no token, no cookie
    assert "csrfmiddlewaretoken" not in page.content.decode()
    # A cross-site form is no different: an anonymous post has no session to abuse.
    response = strict.post(post_url(article), valid_post, HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 302
    assert response["Location"] == f"{ARTICLE_URL}#respond"
    assert Comment.objects.get().status == "pending"
    assert PENDING_MESSAGE in strict.get(response["Location"]).content.decode()


def test_an_anonymous_post_without_a_token_is_published_when_the_rules_allow(
    article, make_comment, valid_post
) -> None:
    make_comment(author_name="Alex Reader", author_email="alex@example.org")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(post_url(article), valid_post)
    comment = Comment.objects.latest("pk")
    assert comment.status == "approved"
    assert response["Location"] == f"{ARTICLE_URL}#comment-{comment.pk}"
    assert PUBLISHED_MESSAGE in strict.get(ARTICLE_URL).content.decode()


def test_an_anonymous_post_without_a_token_is_still_flood_controlled(article, valid_post):
    strict = Client(enforce_csrf_checks=True)
    strict.post(post_url(article), valid_post)
    response = strict.post(post_url(article), {**valid_post, "body": "Second thought."})
    assert response.status_code == 429
    assert Comment.objects.count() == 1


def signed_in(user) -> Client:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    return strict


def test_a_signed_in_post_without_a_token_is_refused(article, editor, valid_post) -> None:
    response = signed_in(editor).post(post_url(article), valid_post)
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_a_signed_in_reader_posts_with_the_token_of_their_form(article, editor, valid_post):
    strict = signed_in(editor)
    html = strict.get(ARTICLE_URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = strict.post(post_url(article), {**valid_post, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Comment.objects.get().user == editor


def test_a_signed_in_post_with_a_bad_token_shows_the_form_again_with_the_text(
    article, editor, valid_post
) -> None:
    """An expired or missing token: nothing the reader wrote is lost."""
    strict = signed_in(editor)
    rejected = strict.post(post_url(article), {**valid_post, "csrfmiddlewaretoken": "x" * 32})
    assert rejected.status_code == 403
    html = rejected.content.decode()
    assert EXPIRED_MESSAGE in html
    assert "Thank you, this helped me" in html  # their comment, back in the form
    assert f'value="{valid_post["author_name"]}"' in html
    assert Comment.objects.count() == 0
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert rejected.cookies["csrftoken"].value

    response = strict.post(post_url(article), {**valid_post, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_other_csrf_failures_keep_djangos_answer(article, editor) -> None:
    response = signed_in(editor).post("/comments/999999/post/", {"body": "x"})
    assert response.status_code == 403
    assert b"CSRF verification failed" in response.content
    strict = Client(enforce_csrf_checks=True)
    assert b"CSRF verification failed" in strict.post("/admin/login/", {}).content


def test_get_is_not_allowed(client, article) -> None:
    assert client.get(post_url(article)).status_code == 405


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("author_name", "", "Please type your name."),
        ("author_name", "n" * 246, "at most 245 characters"),
        ("author_email", "", "Please type your email address."),
        ("author_email", "not-an-email", "Enter a valid email address."),
        ("author_email", "e" * 92 + "@example.org", "at most 100 characters"),
        ("author_url", "javascript:alert(1)", "starting with http:// or https://"),
        ("author_url", "ftp://files.example/", "starting with http:// or https://"),
        ("author_url", "https://example.org/" + "p" * 181, "at most 200 characters"),
        ("body", "", "Please type your comment."),
        ("body", "   \n  ", "Please type your comment."),
        ("body", "b" * 65_526, "at most 65525 characters"),
    ],
)
def test_bad_input_shows_a_field_error(client, article, valid_post, field, value, message) -> None:
    response = client.post(post_url(article), {**valid_post, field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="comment-form__field comment-form__field--error"' in html
    assert "Leave a Reply" in html
    assert not Comment.objects.exists()


def test_field_errors_are_tied_to_their_inputs_for_screen_readers(client, article, valid_post):
    html = client.post(post_url(article), {**valid_post, "author_email": "bad"}).content.decode()
    assert 'aria-invalid="true" aria-describedby="id_author_email_error"' in html
    assert 'id="id_author_email_error">Enter a valid email address.' in html


def test_body_that_cleans_to_nothing_is_an_error(client, article, valid_post) -> None:
    response = client.post(post_url(article), {**valid_post, "body": "<script>x</script>"})
    assert response.status_code == 400
    assert "Please type your comment." in response.content.decode()


def test_entered_values_are_kept_after_an_error(client, article, valid_post) -> None:
    response = client.post(post_url(article), {**valid_post, "author_email": "bad"})
    assert 'value="Alex Reader"' in response.content.decode()


def test_flooding_shows_the_slow_down_message(client, article, valid_post) -> None:
    client.post(post_url(article), valid_post)
    response = client.post(post_url(article), {**valid_post, "body": "Second thought."})
    assert response.status_code == 429
    html = response.content.decode()
    assert FLOOD_MESSAGE.search(html), html
    assert Comment.objects.count() == 1


def test_duplicate_shows_the_wordpress_message(client, article, valid_post, settings) -> None:
    settings.COMMENTS_FLOOD_SECONDS = 0
    client.post(post_url(article), valid_post)
    response = client.post(post_url(article), valid_post)
    assert response.status_code == 409
    assert (
        "Duplicate comment detected; it looks as though you&#x27;ve already said that!"
        in response.content.decode()
    )


def test_honeypot_is_spam_but_looks_the_same(client, article, valid_post) -> None:
    response = client.post(post_url(article), {**valid_post, "extra_comment": "555"})
    assert response.status_code == 302
    assert Comment.objects.get().status == "spam"
    assert PENDING_MESSAGE in client.get(response["Location"]).content.decode()


def test_reply_to_unknown_or_unapproved_comment(client, article, make_comment, valid_post) -> None:
    response = client.post(post_url(article), {**valid_post, "parent": 999_999})
    assert response.status_code == 400
    assert "The comment you are replying to is not available." in response.content.decode()
    held = make_comment(status="pending")
    response = client.post(post_url(article), {**valid_post, "parent": held.pk})
    assert response.status_code == 400
    assert "You can only reply to a published comment." in response.content.decode()


def test_reply_to_a_comment_on_another_page_is_refused(client, article, make_comment, valid_post):
    elsewhere = make_comment(page=article.get_parent())
    response = client.post(post_url(article), {**valid_post, "parent": elsewhere.pk})
    assert response.status_code == 400
    assert not Comment.objects.filter(author_name="Alex Reader").exists()


def test_closed_page_refuses_with_comments_are_closed(client, article, valid_post) -> None:
    article.comments_open = False
    article.save_revision().publish()
    response = client.post(post_url(article), valid_post)
    assert response.status_code == 403
    assert "Comments are closed." in response.content.decode()
    assert not Comment.objects.exists()


def test_unknown_unpublished_or_private_page_is_404(client, article, valid_post) -> None:
    assert client.post("/comments/999999/post/", valid_post).status_code == 404
    PageViewRestriction.objects.create(page=article, restriction_type="login")
    assert client.post(post_url(article), valid_post).status_code == 404
    PageViewRestriction.objects.all().delete()
    article.unpublish()
    assert client.post(post_url(article), valid_post).status_code == 404


def test_page_without_comments_mixin_refuses(client, article, valid_post) -> None:
    response = client.post(f"/comments/{article.get_parent().pk}/post/", valid_post)
    assert response.status_code == 403


def test_signed_in_user_is_recorded(client, article, editor, valid_post) -> None:
    client.force_login(editor)
    client.post(post_url(article), valid_post)
    assert Comment.objects.get().user == editor


def test_client_ip_comes_from_the_trusted_proxy_header(client, article, valid_post, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.CLIENT_IP_PROXY_COUNT = 1
    client.post(
        post_url(article),
        valid_post,
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.50",
    )
    assert Comment.objects.get().ip_address == "203.0.113.50"
