"""Each moderation rule, and the setting that tunes or turns it off."""

import pytest

from comments.models import Comment
from comments.moderation import comment_status_for, contains_contact_details, count_links

pytestmark = pytest.mark.django_db

APPROVED, PENDING, SPAM = (
    Comment.Status.APPROVED,
    Comment.Status.PENDING,
    Comment.Status.SPAM,
)


@pytest.fixture
def returning(article, make_comment):
    """A new comment by an author with an approved one: approved unless a rule holds it."""
    make_comment(author_name="Robin", author_email="robin@example.org")

    def build(**fields) -> Comment:
        values = {
            "page": article,
            "author_name": "Robin",
            "author_email": "robin@example.org",
            "body": "Thanks for this.",
            **fields,
        }
        return Comment(**values)

    return build


def test_first_comment_is_held_until_the_author_has_one_approved(article, make_comment) -> None:
    new = Comment(page=article, author_name="Kim", author_email="kim@example.org", body="Hi")
    assert comment_status_for(new) == PENDING
    make_comment(author_name="Kim", author_email="KIM@example.org")
    assert comment_status_for(new) == APPROVED


def test_prior_approval_needs_the_same_name_and_email(returning) -> None:
    assert comment_status_for(returning(author_name="Someone Else")) == PENDING
    assert comment_status_for(returning(author_email="other@example.org")) == PENDING


@pytest.mark.parametrize("status", ["pending", "spam", "trash"])
def test_only_an_approved_earlier_comment_counts(article, make_comment, status) -> None:
    make_comment(author_name="Lee", author_email="lee@example.org", status=status)
    new = Comment(page=article, author_name="Lee", author_email="lee@example.org", body="Hi")
    assert comment_status_for(new) == PENDING


def test_require_previous_approval_off_approves_newcomers(article, settings) -> None:
    settings.COMMENTS_REQUIRE_PREVIOUS_APPROVAL = False
    new = Comment(page=article, author_name="Kim", author_email="kim@example.org", body="Hi")
    assert comment_status_for(new) == APPROVED


def test_moderate_all_holds_everyone(returning, settings) -> None:
    assert comment_status_for(returning()) == APPROVED
    settings.COMMENTS_MODERATE_ALL = True
    assert comment_status_for(returning()) == PENDING


def test_two_links_hold_a_comment(returning, settings) -> None:
    one = '<a href="https://a.example">a</a>'
    two = one + ' and <a href="https://b.example">b</a>'
    assert count_links(two) == 2
    assert comment_status_for(returning(body=one)) == APPROVED
    assert comment_status_for(returning(body=two)) == PENDING
    settings.COMMENTS_MAX_LINKS = 3
    assert comment_status_for(returning(body=two)) == APPROVED
    settings.COMMENTS_MAX_LINKS = 0  # off, as in WordPress
    assert comment_status_for(returning(body=two + two)) == APPROVED


def test_pasted_web_addresses_count_as_links(returning) -> None:
    pasted = "<p>see https://a.example.com and www.b.example.org</p>"
    assert count_links(pasted) == 2
    assert comment_status_for(returning(body=pasted)) == PENDING
    assert comment_status_for(returning(body="<p>see https://a.example.com.</p>")) == APPROVED


@pytest.mark.parametrize(
    ("body", "links"),
    [
        ('<a href="https://a.example">https://a.example</a>', 1),  # the link's own text
        ('<a href="https://a.example">a</a> and HTTP://B.EXAMPLE/x?y=1&amp;z=2', 2),
        ("https://www.a.example/page", 1),
        ('<blockquote cite="https://a.example">quoted</blockquote>', 0),
        ("write to jo@www.example.org", 0),  # an email address: the contact-details rule's
        ("type www. then the name; the http:// part is optional", 0),
        ("old.www.example.org", 0),
    ],
)
def test_each_web_address_counts_once(body, links) -> None:
    assert count_links(body) == links


def test_moderation_words_hold_a_comment(returning, settings) -> None:
    settings.COMMENTS_MODERATION_KEYS = ["miracle cure"]
    assert comment_status_for(returning(body="Try this MIRACLE CURE today")) == PENDING
    assert comment_status_for(returning(author_url="https://miracle cure.example")) == PENDING
    assert comment_status_for(returning(body="Nothing odd here")) == APPROVED


def test_moderation_words_match_ip_and_user_agent(returning, settings) -> None:
    settings.COMMENTS_MODERATION_KEYS = ["203.0.113."]
    assert comment_status_for(returning(ip_address="203.0.113.9")) == PENDING
    settings.COMMENTS_MODERATION_KEYS = ["curl/"]
    assert comment_status_for(returning(user_agent="curl/8.0")) == PENDING


def test_disallowed_words_make_it_spam(returning, settings) -> None:
    settings.COMMENTS_DISALLOWED_KEYS = ["casino"]
    assert comment_status_for(returning(body="Best Casino offers")) == SPAM
    assert comment_status_for(returning(author_email="casino@example.org")) == SPAM
    assert comment_status_for(returning(body="A kind word")) == APPROVED


def test_blank_words_in_lists_match_nothing(returning, settings) -> None:
    settings.COMMENTS_MODERATION_KEYS = ["", "  "]
    settings.COMMENTS_DISALLOWED_KEYS = [""]
    assert comment_status_for(returning()) == APPROVED


def test_filled_honeypot_is_spam(returning) -> None:
    assert comment_status_for(returning(), honeypot="+1 555 0100") == SPAM
    assert comment_status_for(returning(), honeypot="   ") == APPROVED


@pytest.mark.parametrize(
    "body",
    [
        "Write to me at jo.bloggs+care@example.co.uk",
        "Call me on 07700 900123",
        "My number is +44 (0)20 7946 0958",
        "ring 555-010-4477 any time",
    ],
)
def test_contact_details_hold_a_comment(returning, settings, body) -> None:
    assert contains_contact_details(body)
    assert comment_status_for(returning(body=body)) == PENDING
    settings.COMMENTS_HOLD_CONTACT_DETAILS = False
    assert comment_status_for(returning(body=body)) == APPROVED


@pytest.mark.parametrize(
    "body",
    ["I had 4 cycles over 12 weeks", "Started on 2024-03-15, dose 200 mg", "Stage 3, age 54"],
)
def test_numbers_that_are_not_phone_numbers_pass(returning, body) -> None:
    assert not contains_contact_details(body)
    assert comment_status_for(returning(body=body)) == APPROVED
