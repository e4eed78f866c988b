"""The rules that decide whether a new comment is published, held for a moderator, or spam.

Each rule is a `COMMENTS_*` setting with WordPress's default (see base.py and the README).
"""

import re

from django.conf import settings

from .models import Comment

_LINK = re.compile(r"<a\s[^>]*href=", re.IGNORECASE)
_LINK_ELEMENT = re.compile(r"<a\s.*?</a\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
# A web address typed or pasted as text, as WordPress's make_clickable() links it on display.
_BARE_URL = re.compile(r"(?<![\w./@:-])(?:https?://|www\.)[^\s<>\"']*\w", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of digits with the separators people type in phone numbers, e.g. +44 (0)20 7946 0958.
_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PHONE_MIN_DIGITS = 8


def _contains_key(keys: list[str], texts: list[str]) -> bool:
    """WordPress matches each listed word, case-insensitively, anywhere in these texts."""
    haystack = "\n".join(texts).casefold()
    return any(key.strip() and key.strip().casefold() in haystack for key in keys)


def _comment_texts(comment: Comment) -> list[str]:
    return [
        comment.author_name,
        comment.author_email,
        comment.author_url,
        comment.body,
        comment.ip_address or "",
        comment.user_agent,
    ]


def count_links(body: str) -> int:
    """The links in a cleaned body: `<a href>` elements and bare web addresses (http://,
    https://, www.) in its text. WordPress's check_comment() counts `<a href` after the
    comment_text filters, whose make_clickable() has turned bare addresses into links."""
    text = _TAG.sub(" ", _LINK_ELEMENT.sub(" ", body))  # an address shown as a link counts once
    return len(_LINK.findall(body)) + len(_BARE_URL.findall(text))


def contains_contact_details(body: str) -> bool:
    """True when the text holds an email address or something that reads as a phone number."""
    if _EMAIL.search(body):
        return True
    for match in _PHONE.finditer(body):
        candidate = match.group(0).strip()
        digits = sum(char.isdigit() for char in candidate)
        if digits >= PHONE_MIN_DIGITS and not _ISO_DATE.match(candidate):
            return True
    return False


def has_previously_approved_comment(comment: Comment) -> bool:
    return Comment.objects.filter(
        author_name=comment.author_name,
        author_email__iexact=comment.author_email,
        status=Comment.Status.APPROVED,
    ).exists()


def held_for_moderation_notice() -> str:
    """Tells readers before they post which comments wait for a moderator (the settings above)."""
    if settings.COMMENTS_MODERATE_ALL:
        return "A moderator checks every comment before it appears here."
    held = []
    if settings.COMMENTS_REQUIRE_PREVIOUS_APPROVAL:
        held.append("your first comment")
    links = settings.COMMENTS_MAX_LINKS
    if links:
        held.append(
            "comments with a link" if links == 1 else f"comments with {links} or more links"
        )
    if settings.COMMENTS_HOLD_CONTACT_DETAILS:
        held.append("comments with a phone number or email address")
    if not held:
        return ""
    listed = held[0] if len(held) == 1 else ", ".join(held[:-1]) + " and " + held[-1]
    return f"A moderator checks {listed} before they appear here."


def comment_moderation(comment: Comment, *, honeypot: str = "") -> tuple[str, list[str]]:
    """The status a new, already cleaned comment starts with, and every rule that decided it
    (Comment.HeldReason values), so moderators can see why it was held or filed as spam."""
    reason = Comment.HeldReason
    texts = _comment_texts(comment)
    spam = []
    if honeypot.strip():
        spam.append(reason.HONEYPOT)
    if _contains_key(settings.COMMENTS_DISALLOWED_KEYS, texts):
        spam.append(reason.DISALLOWED_WORD)
    if spam:
        return Comment.Status.SPAM, [str(code) for code in spam]
    max_links = settings.COMMENTS_MAX_LINKS
    rules = [
        (settings.COMMENTS_MODERATE_ALL, reason.MODERATE_ALL),
        (max_links and count_links(comment.body) >= max_links, reason.LINKS),
        (_contains_key(settings.COMMENTS_MODERATION_KEYS, texts), reason.MODERATION_WORD),
        (
            settings.COMMENTS_HOLD_CONTACT_DETAILS and contains_contact_details(comment.body),
            reason.CONTACT_DETAILS,
        ),
        (
            settings.COMMENTS_REQUIRE_PREVIOUS_APPROVAL
            and not has_previously_approved_comment(comment),
            reason.FIRST_COMMENT,
        ),
    ]
    held = [str(code) for tripped, code in rules if tripped]
    return (Comment.Status.PENDING if held else Comment.Status.APPROVED), held


def comment_status_for(comment: Comment, *, honeypot: str = "") -> str:
    """The status a new, already cleaned comment starts with."""
    return comment_moderation(comment, honeypot=honeypot)[0]
