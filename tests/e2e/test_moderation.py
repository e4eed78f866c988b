"""A moderator works through the comments queue: why each comment was held, the actions that
apply to it, ticking them all at once, and trashing one from its edit page."""

import re

from playwright.sync_api import Page, expect

from comments.models import Comment
from immunotherapy.models import ArticlePage
from tests.e2e.helpers import (
    SEED_ARTICLE_URL,
    admin_messages,
    assert_within_width,
    cut_off_by,
    words_broken_across_lines,
)

QUEUE = "/admin/comments/comment/"
HELD = Comment.Status.PENDING
PHONE = {"width": 390, "height": 844}
LINKS = '<a href="https://a.example">one</a> and <a href="https://b.example">two</a>'


def add_comment(name: str, body: str, **fields) -> Comment:
    article = ArticlePage.objects.get(url_path__endswith=SEED_ARTICLE_URL)
    email = f"{name.split()[0].lower()}@example.org"
    return Comment.objects.create(
        page=article, author_name=name, author_email=email, body=body, **fields
    )


def test_moderator_sees_why_comments_were_held_and_approves_them_all(
    moderator_page: Page,
) -> None:
    add_comment("Ana Reader", f"Useful sites: {LINKS}", status=HELD, held_reasons=["links"])
    add_comment("Ben Other", "First time here.", status=HELD, held_reasons=["first_comment"])
    add_comment("Cy Approved", "Already published.", status=Comment.Status.APPROVED)
    page = moderator_page
    page.goto(QUEUE)

    # The queue opens on what needs a decision, and says why each comment waits.
    expect(page.locator(".changelist-filter li.selected").first).to_have_text("Pending")
    rows = page.locator("table.listing > tbody > tr")
    expect(rows.filter(has_text="Cy Approved")).to_have_count(0)
    ana = rows.filter(has_text="Ana Reader")
    expect(ana).to_contain_text("Contains links")
    expect(rows.filter(has_text="Ben Other")).to_contain_text(
        "First comment from this name and email"
    )
    # The excerpt is the text a reader wrote, not its markup.
    expect(ana.locator(".comment-excerpt")).to_have_text("Useful sites: one and two")
    # Only the moves that apply, each label on one line.
    expect(ana.get_by_role("button", name="Unapprove")).to_have_count(0)
    for label in ("Approve", "Spam", "Trash"):
        button = ana.get_by_role("button", name=label, exact=True)
        expect(button).to_be_visible()
        assert (
            button.evaluate(
                "b => { const r = document.createRange(); r.selectNodeContents(b);"
                " return r.getClientRects().length; }"
            )
            == 1
        ), f"{label} wraps"

    held = Comment.objects.filter(status=HELD).count()  # the demo's held comments too
    expect(rows).to_have_count(held)
    page.get_by_role("checkbox", name="Select all comments in the list").check()
    for box in page.get_by_role("checkbox", name=re.compile("^Select comment by")).all():
        expect(box).to_be_checked()
    page.get_by_label("With ticked comments:").select_option("approve")
    page.get_by_role("button", name="Apply").click()
    expect(admin_messages(page)).to_contain_text(f"{held} comments marked approved.")
    expect(rows).to_have_count(0)


def test_moderator_opens_a_comment_sees_it_in_context_and_trashes_it(
    moderator_page: Page, page: Page
) -> None:
    comment = add_comment("Jane Patel", "Is <strong>fatigue</strong> normal?", status="approved")
    moderator = moderator_page
    moderator.goto(f"{QUEUE}?status__exact=approved")
    moderator.get_by_role("row").filter(has_text="Jane Patel").get_by_role(
        "link", name="Edit"
    ).click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Editing comment by Jane Patel")
    expect(moderator.locator(".comment-preview strong")).to_have_text("fatigue")
    link = moderator.get_by_role("link", name="See this comment on the site")
    expect(link).to_have_attribute("href", f"/comments/{comment.pk}/")
    page.goto(link.get_attribute("href"))
    expect(page).to_have_url(re.compile(rf"{re.escape(SEED_ARTICLE_URL)}#comment-{comment.pk}$"))
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Is fatigue normal?")

    # A published comment cannot be deleted for good: the trash is the everyday way out.
    expect(moderator.get_by_role("heading", name="Delete permanently")).to_have_count(0)
    moderator.get_by_role("button", name="More actions").click()
    moderator.get_by_role("button", name="Move to trash").click()
    expect(admin_messages(moderator)).to_contain_text("1 comment marked trash.")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.TRASH
    # From the trash it can be, apart from the save menu.
    moderator.goto(f"{QUEUE}edit/{comment.pk}/")
    expect(moderator.get_by_role("heading", name="Delete permanently")).to_be_visible()


def test_moderator_marks_a_held_comment_spam_and_its_pages_and_history_say_so(
    moderator_page: Page,
) -> None:
    comment = add_comment(
        "Lee Chan", "Great offer at example.com", status=HELD, held_reasons=["links"]
    )
    page = moderator_page
    page.goto(QUEUE)
    page.get_by_role("row").filter(has_text="Lee Chan").get_by_role(
        "button", name="Spam", exact=True
    ).click()
    expect(admin_messages(page)).to_contain_text("1 comment marked spam.")

    page.goto(f"{QUEUE}delete/{comment.pk}/")
    # The rules held it; a person marked it spam, and the page says who.
    summary = page.locator(".comment-summary")
    expect(summary).to_contain_text("Why the rules held it")
    expect(summary).not_to_contain_text("filed it as spam")
    expect(summary).to_contain_text("Marked as spam by e2e-moderator")
    page.get_by_role("link", name="No, keep it").click()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of comment by Lee Chan")
    row = page.get_by_role("row").filter(has_text="Marked as spam")
    expect(row).to_contain_text("e2e-moderator")
    expect(row.locator("time")).to_have_text(re.compile(r"^\d{1,2} \w{3} \d{4}, \d\d:\d\d$"))
    # On a phone the row is whole: what, who and when.
    page.set_viewport_size(PHONE)
    for cell in row.get_by_role("cell").all():
        assert_within_width(page, cell)
    page.get_by_role("link", name="Back to the comment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Editing comment by Lee Chan")


def test_on_a_phone_the_queue_keeps_titles_whole_and_approve_within_reach(
    moderator_page: Page,
) -> None:
    comment = add_comment(
        "Ana Reader", "Is tiredness after the second infusion normal?", status=HELD
    )
    page = moderator_page
    page.set_viewport_size(PHONE)
    page.goto(QUEUE)
    row = page.locator("table.listing > tbody > tr").filter(has_text="Ana Reader")
    page_link = row.get_by_role("link", name=comment.page.title)
    for title in (row.locator(".comment-excerpt"), page_link):
        expect(title).to_be_visible()
        assert words_broken_across_lines(title) == [], "a title is broken mid-word"
    for button in row.get_by_role("button").all():
        assert_within_width(page, button)
    row.get_by_role("button", name="Approve", exact=True).click()
    expect(admin_messages(page)).to_contain_text("1 comment marked approved.")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_on_a_phone_the_filters_fold_away_above_the_first_comment(moderator_page: Page) -> None:
    add_comment("Ana Reader", "Is tiredness after the second infusion normal?", status=HELD)
    add_comment("Spam Bot", "Cheap pills here.", status=Comment.Status.SPAM)
    page = moderator_page
    page.set_viewport_size(PHONE)
    page.goto(QUEUE)
    rows = page.locator("table.listing > tbody > tr")
    expect(rows.filter(has_text="Ana Reader")).to_be_in_viewport()
    spam_filter = page.get_by_role("link", name="Spam", exact=True)
    expect(spam_filter).to_be_hidden()
    summary = page.locator(".comment-filters > summary")
    expect(summary).to_have_text(re.compile(r"Filter\s+Status: Pending · Page: All"))

    summary.click()
    spam_filter.click()
    expect(rows.filter(has_text="Spam Bot")).to_be_in_viewport()
    expect(summary).to_contain_text("Status: Spam")
    expect(spam_filter).to_be_hidden()

    # Beside the queue, on a wider screen, they stay open.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(page.get_by_role("link", name="Pending", exact=True)).to_be_visible()


def test_on_a_phone_a_comments_edit_and_delete_pages_are_headed_by_its_author_alone(
    moderator_page: Page,
) -> None:
    body = "See https://a.example.com/treatment-options and https://b.example.com or 020 7946 0000."
    comment = add_comment(
        "Sam Lee", body, status=Comment.Status.TRASH, held_reasons=["links", "contact_details"]
    )
    page = moderator_page
    page.set_viewport_size(PHONE)
    for path, title in (
        (f"{QUEUE}edit/{comment.pk}/", "Editing comment by Sam Lee"),
        (f"{QUEUE}delete/{comment.pk}/", "Permanently delete comment by Sam Lee"),
    ):
        page.goto(path)
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text(title)  # not the page's title, not the comment's text
        assert_within_width(page, heading)
        assert cut_off_by(heading) == "", f"{title} is cut off"
        assert words_broken_across_lines(heading) == [], f"{title} is broken mid-word"
        # Just below: the page it was posted on, a link, then the comment as readers see it.
        summary = page.locator(".comment-summary")
        expect(summary.get_by_role("link", name=comment.page.title)).to_be_in_viewport()
        expect(summary.locator(".comment-preview")).to_contain_text("or 020 7946 0000")


def test_on_a_phone_a_long_author_name_wraps_inside_the_heading(moderator_page: Page) -> None:
    comment = add_comment(
        "Margaret Elizabeth Featherstonehaugh-Worthington", "Thank you.", status="trash"
    )
    page = moderator_page
    page.set_viewport_size(PHONE)
    for action in ("edit", "delete", "history"):
        path = f"{QUEUE}{action}/{comment.pk}/"
        page.goto(path)
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text("Featherstonehaugh-Worthington")
        assert_within_width(page, heading)
        assert cut_off_by(heading) == "", f"the heading of {path} is cut off"


def test_on_a_phone_the_sidebar_shows_the_comments_waiting_in_full(moderator_page: Page) -> None:
    add_comment("Ana Reader", "Is tiredness after the second infusion normal?", status=HELD)
    page = moderator_page
    page.set_viewport_size(PHONE)
    page.goto("/admin/")
    page.get_by_role("button", name="Toggle sidebar").click()
    item = page.get_by_role("link", name=re.compile(r"^Comments \(\d+\spending\)$"))
    expect(item).to_be_in_viewport(ratio=1)  # the sidebar has slid in
    assert cut_off_by(item.locator(".menuitem-label")) == ""
