"""The moderation admin: who sees it, the list, actions, edit, reply, privacy and dashboard."""

import json

from django.contrib.auth.models import Group

import pytest

from comments.models import Comment

pytestmark = pytest.mark.django_db

INDEX = "/admin/comments/comment/"
BULK = "/admin/comments/comment/bulk/"
PRIVACY = "/admin/comments/comment/privacy/"


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def test_moderators_group_has_the_moderation_permissions() -> None:
    group = Group.objects.get(name="Moderators")
    ours = set(
        group.permissions.filter(content_type__app_label="comments").values_list(
            "codename", flat=True
        )
    )
    assert ours == {"view_comment", "change_comment", "delete_comment"}
    assert group.permissions.filter(codename="access_admin").exists()


def test_plain_editor_sees_no_comments_menu_or_urls(client, editor, make_comment) -> None:
    comment = make_comment()
    client.force_login(editor)
    dashboard = client.get("/admin/").content.decode()
    assert INDEX not in dashboard
    assert "Comments awaiting moderation" not in dashboard
    for url in (INDEX, f"{INDEX}edit/{comment.pk}/", f"{INDEX}reply/{comment.pk}/", PRIVACY):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/")  # bounced to the dashboard
            assert INDEX not in response["Location"]
    response = client.post(BULK, {"action": "approve", "selected": [comment.pk]})
    assert response.status_code in (302, 403)
    comment.refresh_from_db()
    assert comment.status == "approved"
    pending = make_comment(status="pending")
    client.post(BULK, {"row_action": f"approve:{pending.pk}"})
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_anonymous_is_sent_to_login(client, db) -> None:
    response = client.get(INDEX)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_moderator_sees_menu_with_pending_badge_and_dashboard_panel(mod_client, make_comment):
    make_comment(status="pending")
    make_comment(status="pending")
    make_comment(status="approved")
    dashboard = mod_client.get("/admin/").content.decode()
    assert INDEX in dashboard
    assert "Comments (2 pending)" in dashboard
    assert "Comments awaiting moderation: 2" in dashboard


def test_list_shows_columns_filters_and_search(mod_client, article, make_comment) -> None:
    make_comment(author_name="Jo Reader", author_email="jo@example.org", body="About side effects")
    make_comment(author_name="Sam", author_email="sam@example.org", body="Vaccines?", status="spam")
    html = mod_client.get(INDEX).content.decode()
    for text in ("Jo Reader", "jo@example.org", "About side effects", article.title, "Spam"):
        assert text in html
    for heading in ("Excerpt", "Author", "Page", "Status", "Created at"):
        assert heading in html
    assert "commented_page=" in html  # the page filter
    spam_only = mod_client.get(INDEX, {"status__exact": "spam"}).content.decode()
    assert "Vaccines?" in spam_only and "About side effects" not in spam_only
    by_page = mod_client.get(INDEX, {"commented_page": article.pk}).content.decode()
    assert "About side effects" in by_page
    for query in ("jo@example", "Jo Reader", "side effects"):
        found = mod_client.get(INDEX, {"q": query}).content.decode()
        assert "About side effects" in found and "Vaccines?" not in found, query


def test_hostile_comment_text_is_escaped_in_the_list(mod_client, make_comment) -> None:
    make_comment(author_name="<script>alert(1)</script>", body="<img src=x onerror=alert(2)>")
    html = mod_client.get(INDEX).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x onerror=alert(2)>" not in html


def test_no_add_button_for_comments(mod_client, make_comment) -> None:
    make_comment()
    assert f'href="{INDEX}create/"' not in mod_client.get(INDEX).content.decode()


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "approved"), ("unapprove", "pending"), ("spam", "spam"), ("trash", "trash")],
)
def test_bulk_actions(mod_client, make_comment, action, status) -> None:
    start = "pending" if status != "pending" else "approved"
    chosen = [make_comment(status=start), make_comment(status=start)]
    untouched = make_comment(status=start)
    response = mod_client.post(
        BULK, {"action": action, "selected": [c.pk for c in chosen], "next": f"{INDEX}?p=1"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{INDEX}?p=1"
    assert {c.status for c in Comment.objects.filter(pk__in=[c.pk for c in chosen])} == {status}
    untouched.refresh_from_db()
    assert untouched.status == start
    page = mod_client.get(response["Location"]).content.decode()
    assert f"2 comments marked {Comment.Status(status).label.lower()}." in page


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "approved"), ("unapprove", "pending"), ("spam", "spam"), ("trash", "trash")],
)
def test_row_actions(mod_client, make_comment, action, status) -> None:
    comment = make_comment(status="pending" if status != "pending" else "approved")
    other = make_comment(status=comment.status)
    html = mod_client.get(INDEX).content.decode()
    assert f'name="row_action" value="{action}:{comment.pk}"' in html
    mod_client.post(BULK, {"row_action": f"{action}:{comment.pk}", "selected": [other.pk]})
    comment.refresh_from_db()
    other.refresh_from_db()
    assert comment.status == status
    assert other.status != status


def test_bulk_action_errors_are_messages(mod_client, make_comment) -> None:
    comment = make_comment(status="pending")
    page = mod_client.post(BULK, {"action": "explode", "selected": [comment.pk]}, follow=True)
    assert "Choose an action" in page.content.decode()
    page = mod_client.post(BULK, {"action": "approve"}, follow=True)
    assert "Tick at least one comment first." in page.content.decode()
    offsite = mod_client.post(
        BULK, {"action": "approve", "selected": [comment.pk], "next": "https://evil.example/"}
    )
    assert offsite["Location"] == INDEX


def test_moderator_approves_and_the_reader_sees_it(mod_client, client, make_comment) -> None:
    comment = make_comment(status="pending", body="Held until approved")
    assert (
        "Held until approved"
        not in client.get("/articles/terminal-cancer-immunotherapy/").content.decode()
    )
    mod_client.post(BULK, {"row_action": f"approve:{comment.pk}"})
    mod_client.logout()
    assert (
        "Held until approved"
        in client.get("/articles/terminal-cancer-immunotherapy/").content.decode()
    )


def test_edit_view_changes_and_cleans_the_comment(mod_client, make_comment) -> None:
    comment = make_comment(status="pending")
    url = f"{INDEX}edit/{comment.pk}/"
    form = mod_client.get(url).content.decode()
    assert 'name="body"' in form and 'name="status"' in form
    assert "192.0.2.10" in form  # IP shown read-only to moderators
    response = mod_client.post(
        url,
        {
            "status": "approved",
            "author_name": "Edited Name",
            "author_email": "edited@example.org",
            "author_url": "",
            "body": "Fixed <script>alert(1)</script><b>text</b>",
        },
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.author_name) == ("approved", "Edited Name")
    assert comment.body == "Fixed <b>text</b>"


def test_edit_view_shows_field_errors(mod_client, make_comment) -> None:
    comment = make_comment()
    response = mod_client.post(
        f"{INDEX}edit/{comment.pk}/",
        {"status": "approved", "author_name": "", "author_email": "bad", "body": "x"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert "Enter a valid email address." in html


def test_reply_as_moderator_is_published_at_once(mod_client, client, make_comment) -> None:
    parent = make_comment(author_name="Jo", body="Is fatigue normal?")
    url = f"{INDEX}reply/{parent.pk}/"
    assert f'href="{url}"' in mod_client.get(INDEX).content.decode()
    form = mod_client.get(url).content.decode()
    assert "Is fatigue normal?" in form
    response = mod_client.post(url, {"body": "Yes, tell your nurse if it gets worse."})
    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert reply.status == "approved"
    assert reply.author_name == "Maud Moderator"
    mod_client.logout()
    page = client.get("/articles/terminal-cancer-immunotherapy/").content.decode()
    assert "Yes, tell your nurse if it gets worse." in page


def test_reply_errors_are_shown(mod_client, make_comment, settings) -> None:
    parent = make_comment()
    assert (
        "This field is required."
        in mod_client.post(f"{INDEX}reply/{parent.pk}/", {"body": ""}).content.decode()
    )
    settings.COMMENTS_MAX_DEPTH = 1
    html = mod_client.post(f"{INDEX}reply/{parent.pk}/", {"body": "Deep"}).content.decode()
    assert "Replies can only be nested 1 levels deep." in html
    assert mod_client.get(f"{INDEX}reply/999999/").status_code == 404


def test_privacy_export_downloads_json(mod_client, make_comment) -> None:
    make_comment(author_email="pat@example.org", body="Mine")
    make_comment(author_email="other@example.org", body="Not mine")
    assert "Privacy requests" in mod_client.get(INDEX).content.decode()
    response = mod_client.post(PRIVACY, {"email": "pat@example.org", "action": "export"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    rows = json.loads(response.content)
    assert [row["body"] for row in rows] == ["Mine"]


def test_privacy_erase_from_the_admin(mod_client, make_comment) -> None:
    mine = make_comment(author_email="pat@example.org", body="Mine")
    response = mod_client.post(
        PRIVACY, {"email": "pat@example.org", "action": "erase", "remove_text": "on"}, follow=True
    )
    assert "Personal data removed from 1 comment(s)." in response.content.decode()
    mine.refresh_from_db()
    assert mine.author_name == "Anonymous"
    assert mine.body != "Mine"
    response = mod_client.post(
        PRIVACY, {"email": "nobody@example.org", "action": "erase"}, follow=True
    )
    assert "No comments were found for that email address." in response.content.decode()


def test_privacy_form_errors(mod_client) -> None:
    html = mod_client.post(PRIVACY, {"email": "not-an-email", "action": "erase"}).content.decode()
    assert "Enter a valid email address." in html


def test_view_only_permission_is_not_enough(client, django_user_model, make_comment) -> None:
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", "v@example.org", "pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_comment", content_type__app_label="comments"),
    )
    client.force_login(user)
    assert INDEX not in client.get("/admin/").content.decode()
    assert client.get(INDEX).status_code in (302, 403)


def test_editors_can_close_comments_on_an_article(client, article, django_user_model) -> None:
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    html = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert 'name="comments_open"' in html
    assert "Let readers leave comments and replies on this page." in html
