"""The moderation admin: who sees it, the list, actions, edit, reply, privacy and dashboard."""

import json
import re
from html import unescape

from django.contrib.auth.models import Group
from django.utils.html import strip_tags

import pytest

from comments.models import Comment

pytestmark = pytest.mark.django_db

INDEX = "/admin/comments/comment/"
ALL = f"{INDEX}?status__exact=all"
BULK = "/admin/comments/comment/bulk/"
PRIVACY = "/admin/comments/comment/privacy/"


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def test_moderators_group_has_the_moderation_permissions() -> None:
    group = Group.objects.get(name="Comment moderators")
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
    for url in (
        INDEX,
        f"{INDEX}edit/{comment.pk}/",
        f"{INDEX}history/{comment.pk}/",
        f"{INDEX}reply/{comment.pk}/",
        PRIVACY,
    ):
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
    # The sidebar's props are JSON; "2 pending" stays on one line (a no-break space).
    assert "Comments (2\\u00a0pending)" in dashboard
    assert "Comments awaiting moderation: 2" in dashboard


def test_list_shows_columns_filters_and_search(mod_client, article, make_comment) -> None:
    make_comment(author_name="Jo Reader", author_email="jo@example.org", body="About side effects")
    make_comment(author_name="Sam", author_email="sam@example.org", body="Vaccines?", status="spam")
    html = mod_client.get(ALL).content.decode()
    for text in ("Jo Reader", "jo@example.org", "About side effects", article.title, "Spam"):
        assert text in html
    for heading in ("Comment", "Author", "Page", "Status", "Posted"):
        assert heading in html
    assert "commented_page=" in html  # the page filter
    spam_only = mod_client.get(INDEX, {"status__exact": "spam"}).content.decode()
    assert "Vaccines?" in spam_only and "About side effects" not in spam_only
    by_page = mod_client.get(
        INDEX, {"status__exact": "all", "commented_page": article.pk}
    ).content.decode()
    assert "About side effects" in by_page
    for query in ("jo@example", "Jo Reader", "side effects"):
        found = mod_client.get(INDEX, {"status__exact": "all", "q": query}).content.decode()
        assert "About side effects" in found and "Vaccines?" not in found, query


@pytest.mark.parametrize("value", ["²", "99999999999999999999999", "abc"])
def test_a_page_filter_that_is_no_page_id_is_ignored(mod_client, make_comment, value) -> None:
    make_comment(body="About side effects")
    response = mod_client.get(INDEX, {"status__exact": "all", "commented_page": value})
    assert response.status_code == 200
    assert "About side effects" in response.content.decode()


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
    html = mod_client.get(ALL).content.decode()
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
    assert f'href="{url}"' in mod_client.get(ALL).content.decode()
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


def test_moderation_list_costs_the_same_queries_for_5_and_40_comments(mod_client, make_comment):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url: str) -> list[str]:
        mod_client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert mod_client.get(url).status_code == 200
        return [query["sql"] for query in captured]

    urls = (INDEX, ALL, f"{ALL}&q=reader")
    for n in range(5):
        make_comment(status="pending" if n % 2 else "approved")
    few = {url: queries(url) for url in urls}
    for n in range(35):
        make_comment(status="pending" if n % 2 else "approved")
    for url in urls:
        many = queries(url)
        assert len(many) == len(few[url]), url
        if url != INDEX:  # pending (the default): the list's count is the menu badge's count
            assert len(set(many)) == len(many), f"{url}: a query ran twice"


def test_page_filter_offers_a_bounded_list_and_the_chosen_page(mod_client, article, make_comment):
    from comments.wagtail_hooks import PAGE_FILTER_LIMIT

    make_comment(status="approved")  # approved only: not among the pages needing moderation
    html = mod_client.get(ALL).content.decode()
    assert f'?commented_page={article.pk}"' in html  # the row's page links to its filter
    assert f">{article.title}</a></li>" not in html.split("comments-bulk")[0]
    chosen = mod_client.get(
        INDEX, {"status__exact": "all", "commented_page": article.pk}
    ).content.decode()
    assert "Comment number 1." in chosen
    assert PAGE_FILTER_LIMIT == 20


def test_the_queue_opens_on_pending_and_offers_every_status(mod_client, make_comment) -> None:
    make_comment(status="pending", body="Waiting for a decision")
    make_comment(status="approved", body="Already on the page")
    html = mod_client.get(INDEX).content.decode()
    assert "Waiting for a decision" in html and "Already on the page" not in html
    assert re.search(r'<li class="selected">\s*<a href="[^"]*">Pending</a>', html)
    assert "?status__exact=all" in html
    everything = mod_client.get(ALL).content.decode()
    assert "Waiting for a decision" in everything and "Already on the page" in everything


def test_held_reasons_are_stored_and_shown_in_queue_and_edit_page(
    client, mod_client, article, valid_post, settings
) -> None:
    settings.COMMENTS_MODERATION_KEYS = ["miracle"]
    body = (
        'A miracle cure: <a href="https://a.example">one</a> <a href="https://b.example">two</a>'
        " call +44 20 7946 0958"
    )
    client.post(f"/comments/{article.pk}/post/", {**valid_post, "body": body})
    comment = Comment.objects.get()
    assert comment.status == "pending"
    assert comment.held_reasons == ["links", "moderation_word", "contact_details", "first_comment"]
    expected = (
        "Contains links",
        "Contains a word on the moderation list",
        "Contains a phone number or email address",
        "First comment from this name and email",
    )
    queue = mod_client.get(INDEX).content.decode()
    edit = mod_client.get(f"{INDEX}edit/{comment.pk}/").content.decode()
    for reason in expected:
        assert reason in queue and reason in edit


def test_spam_shows_why_it_was_filed(client, mod_client, article, valid_post, settings) -> None:
    settings.COMMENTS_DISALLOWED_KEYS = ["casino"]
    client.post(f"/comments/{article.pk}/post/", {**valid_post, "body": "Best casino"})
    comment = Comment.objects.get()
    assert (comment.status, comment.held_reasons) == ("spam", ["disallowed_word"])
    queue = mod_client.get(INDEX, {"status__exact": "spam"}).content.decode()
    assert "Contains a word on the disallowed list" in queue
    delete = _summary(mod_client.get(f"{INDEX}delete/{comment.pk}/").content.decode())
    assert "Why the rules filed it as spam: Contains a word on the disallowed list" in delete
    assert "Marked as spam by" not in delete  # no person moved it


def test_a_held_comment_a_moderator_marked_spam_says_who_not_the_rules(
    mod_client, make_comment
) -> None:
    from datetime import datetime

    from django.utils import timezone

    from wagtail.models import ModelLogEntry

    comment = make_comment(status="pending", held_reasons=["links"])
    mod_client.post(BULK, {"row_action": f"spam:{comment.pk}"})
    ModelLogEntry.objects.update(timestamp=timezone.make_aware(datetime(2026, 12, 2, 1, 48)))
    for page in ("edit", "delete"):
        summary = _summary(mod_client.get(f"{INDEX}{page}/{comment.pk}/").content.decode())
        assert "Status: Spam Marked as spam by Maud Moderator, 2 Dec 2026, 01:48" in summary
        assert "Why the rules held it: Contains links" in summary
        assert "filed it as spam" not in summary


def test_excerpts_are_plain_text_with_dates_read_the_same_everywhere(mod_client, make_comment):
    from datetime import datetime

    from django.utils import timezone

    when = timezone.make_aware(datetime(2026, 3, 4, 15, 7))
    make_comment(
        status="pending",
        body='<a href="https://example.org/very/long/path">see this</a> <b>now</b> ' + "y " * 80,
        created_at=when,
    )
    html = mod_client.get(INDEX).content.decode()
    excerpt = re.search(r'<span class="comment-excerpt">(.*?)</span>', html).group(1)
    assert excerpt.startswith("see this now y y") and excerpt.endswith("…")
    assert "&lt;" not in excerpt and "<" not in excerpt
    assert '<time datetime="2026-03-04T15:07:00' in html and "4 Mar 2026, 15:07" in html


def _row_actions(html: str, comment: Comment) -> set[str]:
    return set(re.findall(rf'name="row_action"\s+value="(\w+):{comment.pk}"', html))


def test_each_row_offers_only_the_actions_that_apply(mod_client, make_comment) -> None:
    pending = make_comment(status="pending")
    approved = make_comment(status="approved")
    spam = make_comment(status="spam")
    trash = make_comment(status="trash")
    html = mod_client.get(ALL).content.decode()
    assert _row_actions(html, pending) == {"approve", "spam", "trash"}
    assert _row_actions(html, approved) == {"unapprove", "spam", "trash"}
    assert _row_actions(html, spam) == {"unapprove", "trash"}
    assert _row_actions(html, trash) == {"unapprove", "spam"}
    # Replies go to published comments only; deleting for good only from spam or trash.
    assert f"reply/{approved.pk}/" in html and f"reply/{pending.pk}/" not in html
    assert f"delete/{pending.pk}/" not in html and f"delete/{approved.pk}/" not in html
    assert f"delete/{spam.pk}/" in html and f"delete/{trash.pk}/" in html
    assert 'class="comment-actions"' in html  # buttons laid out whole (admin.css: nowrap)


def test_select_all_uses_wagtails_bulk_controller(mod_client, make_comment) -> None:
    make_comment(status="pending")
    html = mod_client.get(INDEX).content.decode()
    assert 'data-controller="w-bulk"' in html
    assert 'aria-label="Select all comments in the list"' in html
    assert 'data-action="w-bulk#toggleAll" data-w-bulk-target="all"' in html
    assert 'data-w-bulk-target="item"' in html


def test_edit_page_names_the_comment_and_page_and_shows_it_in_context(
    mod_client, article, make_comment
) -> None:
    comment = make_comment(author_name="Jane Patel", body="Is <b>fatigue</b> normal?")
    html = mod_client.get(f"{INDEX}edit/{comment.pk}/").content.decode()
    # Headed by the author; the page it is on, linked, just below; the text only in the preview.
    assert _heading(html) == "Editing comment by Jane Patel"
    link = (
        f'<a href="{article.get_url()}#comments" target="_blank" rel="noopener">{article.title}</a>'
    )
    assert link in html
    trashed = make_comment(author_name="Jane Patel", status="trash")
    delete = mod_client.get(f"{INDEX}delete/{trashed.pk}/").content.decode()
    assert _heading(delete) == "Permanently delete comment by Jane Patel"
    assert link in delete
    assert '<div class="comment-preview"><p>Is <b>fatigue</b> normal?</p></div>' in html
    assert f'href="/comments/{comment.pk}/"' in html  # the permalink, for a published comment
    assert mod_client.get(f"/comments/{comment.pk}/").status_code == 302
    held = make_comment(status="pending")
    held_page = mod_client.get(f"{INDEX}edit/{held.pk}/").content.decode()
    assert f'href="/comments/{held.pk}/"' not in held_page
    assert "Not on the site until approved." in held_page


def _text(html: str, element: str) -> str:
    """The text of the first element the pattern `element` matches, spaces collapsed."""
    found = re.search(element, html, re.S)
    assert found, f"nothing matches {element}"
    return " ".join(strip_tags(found.group(0)).split())


def _heading(html: str) -> str:
    """The text of the admin page's main heading."""
    return _text(html, r'<h1 class="w-header__title".*?</h1>')


def _summary(html: str) -> str:
    """The text of the comment's summary on its edit or delete page."""
    return _text(html, r'<section class="comment-summary".*?</section>')


def test_trash_is_the_main_action_and_delete_is_apart_and_confirmed(
    mod_client, make_comment
) -> None:
    comment = make_comment(status="spam", body="Keep or bin?")
    edit = mod_client.get(f"{INDEX}edit/{comment.pk}/").content.decode()
    footer, danger = edit.split('id="comment-delete-heading"')
    assert 'form="comment-trash-form"' in footer and "Move to trash" in footer
    assert f"delete/{comment.pk}/" not in footer  # not next to Save and Trash
    assert f"delete/{comment.pk}/" in danger
    confirm = mod_client.get(f"{INDEX}delete/{comment.pk}/").content.decode()
    assert "cannot be undone" in confirm and "Move to trash instead" in confirm
    assert "Keep or bin?" in confirm
    response = mod_client.post(BULK, {"row_action": f"trash:{comment.pk}"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "trash"
    edit = mod_client.get(f"{INDEX}edit/{comment.pk}/").content.decode()
    assert 'id="comment-delete-heading"' in edit
    # In the trash already: the page no longer offers the trash.
    confirm = mod_client.get(f"{INDEX}delete/{comment.pk}/").content.decode()
    assert "cannot be undone" in confirm
    assert "trash instead" not in confirm and "Move to trash instead" not in confirm
    done = mod_client.post(f"{INDEX}delete/{comment.pk}/", follow=True).content.decode()
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert re.search(r"Comment &#x27;[^&]*Keep or bin\?&#x27; deleted\.", done)


@pytest.mark.parametrize("status", ["pending", "approved"])
def test_only_spam_and_trash_can_be_deleted_for_good(mod_client, make_comment, status) -> None:
    comment = make_comment(status=status, body="Keep or bin?")
    edit = mod_client.get(f"{INDEX}edit/{comment.pk}/").content.decode()
    assert "Move to trash" in edit
    assert 'id="comment-delete-heading"' not in edit and f"delete/{comment.pk}/" not in edit
    # Asked for by its address, the delete page sends the moderator back with what to do instead.
    for send in (mod_client.get, mod_client.post):
        response = send(f"{INDEX}delete/{comment.pk}/", follow=True)
        assert response.redirect_chain == [(f"{INDEX}edit/{comment.pk}/", 302)]
        html = response.content.decode()
        assert "Only spam and trashed comments can be deleted permanently" in html
        assert "move this comment to the trash first" in html
        assert "Yes, delete permanently" not in html
    comment.refresh_from_db()
    assert comment.status == status


def test_delete_page_of_a_pending_comment_still_refuses_non_moderators(
    client, editor, make_comment
) -> None:
    comment = make_comment(status="pending")
    client.force_login(editor)
    response = client.get(f"{INDEX}delete/{comment.pk}/")
    assert response.status_code in (302, 403)
    assert f"edit/{comment.pk}/" not in response.get("Location", "")
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_moderator_reply_is_official_on_the_page_and_in_the_api(
    mod_client, client, article, make_comment
) -> None:
    parent = make_comment(author_name="Jo", body="Is fatigue normal?")
    mod_client.post(f"{INDEX}reply/{parent.pk}/", {"body": "Yes, it is common."})
    reply = Comment.objects.get(parent=parent)
    assert reply.official is True
    mod_client.logout()
    page = client.get("/articles/terminal-cancer-immunotherapy/").content.decode()
    item = re.search(rf'<li id="comment-{reply.pk}"[^>]*>.*?</article>', page, re.S).group(0)
    assert "comment--official" in item and "Official reply" in item
    reader = re.search(rf'<li id="comment-{parent.pk}"[^>]*>.*?</article>', page, re.S).group(0)
    assert "Official reply" not in reader
    api = client.get("/api/v2/comments/", {"page": article.pk}).json()["items"]
    assert {item["id"]: item["official"] for item in api} == {parent.pk: False, reply.pk: True}


def test_an_unknown_status_in_the_address_lists_nothing_without_failing(mod_client, make_comment):
    make_comment(status="pending", body="Held one")
    response = mod_client.get(INDEX, {"status__exact": "bogus"})
    assert response.status_code == 200
    assert "Held one" not in response.content.decode()


def test_edit_page_shows_when_posted_as_the_queue_does(mod_client, make_comment) -> None:
    from datetime import datetime

    from django.utils import timezone

    comment = make_comment(created_at=timezone.make_aware(datetime(2026, 3, 4, 15, 7)))
    edit = mod_client.get(f"{INDEX}edit/{comment.pk}/").content.decode()
    # The read-only "Created at" field, not the page's other dates.
    field = re.search(
        r'class="w-field__textoutput"[^>]*>\s*<time datetime="([^"]*)">([^<]*)<', edit
    )
    assert field and field.group(1).startswith("2026-03-04T15:07:00")
    assert field.group(2) == "4 Mar 2026, 15:07"
    assert "March 4, 2026" not in edit and "3:07 p.m." not in edit


def _bulk_menu(html: str) -> list[tuple[str, str]]:
    menu = re.search(r'<select id="comments-bulk-action"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option value="(\w+)">([^<]+)</option>', menu.group(1))


@pytest.mark.parametrize(
    ("status", "menu"),
    [
        ("", [("approve", "Approve"), ("spam", "Mark as spam"), ("trash", "Move to trash")]),
        (
            "approved",
            [("unapprove", "Unapprove"), ("spam", "Mark as spam"), ("trash", "Move to trash")],
        ),
        ("spam", [("unapprove", "Not spam"), ("trash", "Move to trash")]),
        ("trash", [("unapprove", "Restore"), ("spam", "Mark as spam")]),
        (
            "all",
            [
                ("approve", "Approve"),
                ("unapprove", "Unapprove"),
                ("spam", "Mark as spam"),
                ("trash", "Move to trash"),
            ],
        ),
    ],
)
def test_the_bulk_menu_offers_only_the_moves_that_apply_to_the_filter(
    mod_client, make_comment, status, menu
) -> None:
    make_comment(status=status if status in ("approved", "spam", "trash") else "pending")
    html = mod_client.get(INDEX, {"status__exact": status} if status else {}).content.decode()
    assert _bulk_menu(html) == menu


def test_every_moderation_page_shows_when_posted_as_the_queue_does(mod_client, make_comment):
    from datetime import datetime

    from django.utils import timezone

    comment = make_comment(
        status="trash", created_at=timezone.make_aware(datetime(2026, 3, 4, 15, 7))
    )
    pages = {
        "queue": f"{INDEX}?status__exact=all",
        "edit": f"{INDEX}edit/{comment.pk}/",
        "delete": f"{INDEX}delete/{comment.pk}/",
        "reply": f"{INDEX}reply/{comment.pk}/",
    }
    for name, url in pages.items():
        html = mod_client.get(url).content.decode()
        main = html[html.index("<main") :]
        shown = re.findall(r"\d{1,2} \w+ 2026,? \d\d:\d\d", main)
        assert shown and set(shown) == {"4 Mar 2026, 15:07"}, (name, shown)


def _history_rows(html: str) -> list[list[str]]:
    """The history table's rows, each cell's text with spaces collapsed."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    assert body, "no history table"
    return [
        [
            " ".join(unescape(strip_tags(cell)).split())
            for cell in re.findall(r"<td.*?</td>", row, re.S)
        ]
        for row in re.findall(r"<tr.*?</tr>", body.group(1), re.S)
    ]


def test_history_lists_who_moved_and_edited_the_comment_and_when(mod_client, make_comment):
    from datetime import datetime

    from django.utils import timezone

    from wagtail.models import ModelLogEntry

    comment = make_comment(status="pending", author_name="Jane Patel", body="Buy now")
    other = make_comment(status="approved")
    history = f"{INDEX}history/{comment.pk}/"
    edit = f"{INDEX}edit/{comment.pk}/"
    empty = mod_client.get(history).content.decode()
    assert "No one has moderated or edited this comment yet." in empty
    assert f'href="{history}"' not in mod_client.get(edit).content.decode()

    mod_client.post(BULK, {"row_action": f"spam:{comment.pk}"})
    ModelLogEntry.objects.update(timestamp=timezone.make_aware(datetime(2026, 12, 2, 1, 48)))
    mod_client.post(BULK, {"action": "unapprove", "selected": [comment.pk, other.pk]})
    mod_client.post(
        edit,
        {
            "status": "approved",
            "author_name": "Jane Patel",
            "author_email": comment.author_email,
            "author_url": "",
            "body": "Buy now?",
        },
    )
    html = mod_client.get(history).content.decode()
    # Headed like the edit page, with the way back to it; newest first.
    assert _heading(html) == "History of comment by Jane Patel"
    assert f'href="{edit}"' in html and "Back to the comment" in html
    rows = _history_rows(html)
    assert [row[:2] for row in rows] == [
        ["Approved", "Maud Moderator"],
        ["Edited", "Maud Moderator"],
        ["Moved back to pending", "Maud Moderator"],
        ["Marked as spam", "Maud Moderator"],
    ]
    assert rows[-1][2] == "2 Dec 2026, 01:48"
    # The other comment moved in the same bulk action has its own history, and the edit page
    # links to the history.
    other_rows = _history_rows(mod_client.get(f"{INDEX}history/{other.pk}/").content.decode())
    assert [row[:2] for row in other_rows] == [["Moved back to pending", "Maud Moderator"]]
    assert f'href="{history}"' in mod_client.get(edit).content.decode()


def test_history_shows_replies_and_erasure_and_forgets_the_authors_name(
    mod_client, make_comment
) -> None:
    from wagtail.models import ModelLogEntry

    comment = make_comment(
        status="pending", author_name="Jane Patel", author_email="jane@example.org"
    )
    mod_client.post(BULK, {"row_action": f"approve:{comment.pk}"})
    mod_client.post(f"{INDEX}reply/{comment.pk}/", {"body": "Thank you, Jane."})
    assert "Jane Patel" in " ".join(ModelLogEntry.objects.values_list("label", flat=True))
    mod_client.post(PRIVACY, {"email": "jane@example.org", "action": "erase"})
    rows = _history_rows(mod_client.get(f"{INDEX}history/{comment.pk}/").content.decode())
    assert [row[:2] for row in rows] == [
        ["Author's personal data erased", "Maud Moderator"],
        ["Replied to (official reply)", "Maud Moderator"],
        ["Approved", "Maud Moderator"],
    ]
    # The history named the comment by its author: it no longer does.
    labels = ModelLogEntry.objects.for_instance(comment).values_list("label", flat=True)
    assert labels and not any("Jane Patel" in label for label in labels)
