"""Readers comment on the seed article and reply to each other; a moderator approves in the admin.

Every reader posts from 127.0.0.1, so these tests lift the flood limit (`no_flood_control`).
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from comments.views import PENDING_MESSAGE, PUBLISHED_MESSAGE
from tests.e2e.helpers import SEED_ARTICLE_URL, admin_messages

pytestmark = pytest.mark.usefixtures("no_flood_control")

# Allowed markup (strong, em), a script that must never run, and one that must not survive.
COMMENT_TEXT = "Thank you for this guide. The part about"
COMMENT_HTML = (
    f"{COMMENT_TEXT} <strong>side effects</strong> was <em>really</em> clear."
    '<script>window.__xss = true; alert("xss")</script>'
)
REPLY_TEXT = "Same for me: I printed the side effects list for my family."


def post_comment(page: Page, name: str, body: str) -> None:
    """Fill in and send the comment form showing on the page (a new comment or a reply)."""
    form = page.locator("form.comment-form")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Email").fill(f"{name.split()[0].lower()}@example.org")
    form.get_by_label("Comment").fill(body)
    form.get_by_role("button", name="Post Comment").click()


def approve_in_admin(moderator_page: Page, text: str) -> None:
    """A moderator finds the held comment in the Comments admin and approves it."""
    moderator_page.goto("/admin/")
    moderator_page.get_by_role("link", name=re.compile(r"^Comments \(1 pending\)")).click()
    row = moderator_page.get_by_role("row").filter(has_text=text)
    expect(row).to_contain_text("Pending")
    row.get_by_role("button", name="Approve", exact=True).click()
    expect(admin_messages(moderator_page)).to_contain_text("1 comment marked approved.")
    # The queue shows what still needs a decision: the approved comment has left it.
    expect(moderator_page.get_by_role("row").filter(has_text=text)).to_have_count(0)


def comment_card(page: Page, text: str) -> Locator:
    """The list item of the comment whose own text (not a reply's) contains `text`."""
    return page.locator("li.comment").filter(
        has=page.locator(":scope > article .comment__content", has_text=text)
    )


def test_comment_is_held_approved_and_shown_with_safe_markup(
    page: Page, new_page, moderator_page: Page
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(SEED_ARTICLE_URL)
    post_comment(page, "Ana Reader", COMMENT_HTML)
    expect(page).to_have_url(re.compile(re.escape(SEED_ARTICLE_URL) + "#respond$"))
    expect(page.get_by_role("status")).to_have_text(PENDING_MESSAGE)
    expect(comment_card(page, COMMENT_TEXT)).to_have_count(0)

    approve_in_admin(moderator_page, COMMENT_TEXT)

    page.reload()
    card = comment_card(page, COMMENT_TEXT)
    expect(card).to_be_visible()
    expect(card.locator(".comment__author")).to_have_text("Ana Reader")
    content = card.locator(".comment__content")
    expect(content.locator("strong")).to_have_text("side effects")
    expect(content.locator("em")).to_have_text("really")
    expect(content.locator("script")).to_have_count(0)
    expect(content).not_to_contain_text("__xss")
    expect(page.get_by_role("heading", name=re.compile("^1 comment on"))).to_be_visible()
    assert page.evaluate("() => window.__xss") is None
    assert dialogs == []

    # Another reader replies through the comment's Reply link; it is held, then nests under it.
    other = new_page()
    other.goto(SEED_ARTICLE_URL)
    other.get_by_role("link", name="Reply to Ana Reader").click()
    expect(other.get_by_role("group", name="Your reply to Ana Reader")).to_be_visible()
    post_comment(other, "Ben Other", REPLY_TEXT)
    expect(other.get_by_role("status")).to_have_text(PENDING_MESSAGE)
    expect(other.get_by_text(REPLY_TEXT)).to_have_count(0)

    approve_in_admin(moderator_page, REPLY_TEXT)

    page.reload()
    reply = comment_card(page, COMMENT_TEXT).locator(":scope > ol.children > li.comment")
    expect(reply).to_have_count(1)
    expect(reply.locator(".comment__author")).to_have_text("Ben Other")
    expect(reply.locator(".comment__content")).to_have_text(REPLY_TEXT)
    expect(page.get_by_role("heading", name=re.compile("^2 comments on"))).to_be_visible()


def test_reader_with_an_approved_comment_is_published_at_once(page: Page, seed_comments) -> None:
    # seed_comments holds an approved comment by Maria Lopez (maria@example.org).
    page.goto(SEED_ARTICLE_URL)
    post_comment(page, "Maria Lopez", "My second infusion went <em>much</em> better.")
    expect(page.get_by_role("status")).to_have_text(PUBLISHED_MESSAGE)
    card = comment_card(page, "My second infusion went")
    expect(card).to_be_visible()
    expect(card).to_be_in_viewport()
    expect(card.locator("em")).to_have_text("much")


def test_a_new_reader_is_held_even_after_others_were_approved(page: Page, seed_comments) -> None:
    page.goto(SEED_ARTICLE_URL)
    post_comment(page, "New Reader", "Is this treatment available for children?")
    expect(page.get_by_role("status")).to_have_text(PENDING_MESSAGE)
    expect(page.get_by_text("Is this treatment available for children?")).to_have_count(0)


def test_empty_comment_keeps_the_form_with_a_field_error(page: Page) -> None:
    page.goto(SEED_ARTICLE_URL)
    form = page.locator("form.comment-form")
    form.get_by_label("Name").fill("Ana Reader")
    form.get_by_label("Email").fill("ana@example.org")
    form.get_by_label("Comment").fill("   ")
    # The browser's own check passes (spaces), so the server answers with its message.
    form.get_by_role("button", name="Post Comment").click()
    expect(page.get_by_text("Please type your comment.")).to_be_visible()
    expect(form.get_by_label("Name")).to_have_value("Ana Reader")


def test_the_form_says_up_front_what_is_held_and_confirms_a_held_comment_without_script(
    new_page,
) -> None:
    # A phone-sized reader with JavaScript off: the form still explains itself and confirms.
    page = new_page(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page.goto(SEED_ARTICLE_URL)
    form = page.locator("form.comment-form")
    expect(form).to_contain_text("A moderator checks your first comment")
    expect(form).to_contain_text("a phone number or email address")
    expect(form).not_to_contain_text("tags and attributes")
    form.get_by_text("Formatting your comment (optional)").click()
    expect(form.get_by_text("bold: type <b>bold</b>")).to_be_visible()

    post_comment(page, "Gil Reader", "Call me on 020 7946 0958 please.")
    status = page.get_by_role("status")
    expect(status).to_have_text(PENDING_MESSAGE)
    expect(status).to_be_in_viewport()
    expect(comment_card(page, "Call me on")).to_have_count(0)
