"""The one place where comment HTML is cleaned, and where it is laid out for display.

The allowed tags and attributes are the `COMMENTS_ALLOWED_TAGS` setting; the
form's "You may use these HTML tags and attributes" notice is built from it too.
"""

import re

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

import nh3

URL_ATTRIBUTES = frozenset({"href", "cite"})
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed together with everything inside them, not just the tags.
CONTENT_REMOVED_TAGS = frozenset({"script", "style"})
LINK_REL = "nofollow ugc"

# Browsers ignore ASCII whitespace and control characters inside a URL scheme,
# so "java\tscript:" and "\x01javascript:" both run script: drop them before reading it.
_IGNORED_URL_CHARACTERS = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


def allowed_tags() -> dict[str, list[str]]:
    return settings.COMMENTS_ALLOWED_TAGS


def is_safe_url(value: str) -> bool:
    """True for http, https and mailto URLs and for relative ones; False for any other scheme."""
    compact = _IGNORED_URL_CHARACTERS.sub("", value)
    match = _SCHEME.match(compact)
    if match is None:
        # No scheme before the first "/", "?" or "#": relative. A colon elsewhere is harmless.
        return ":" not in compact.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return match.group(1).lower() in ALLOWED_URL_SCHEMES


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES and not is_safe_url(value):
        return None
    return value


def clean_comment_html(raw: str) -> str:
    """Keep only the whitelisted tags and attributes; escape every other character of text."""
    tags = allowed_tags()
    return nh3.clean(
        raw,
        tags=set(tags),
        # "*": nothing, or nh3 would allow its default lang and title on every tag.
        attributes={"*": set()} | {tag: set(attrs) for tag, attrs in tags.items() if attrs},
        attribute_filter=_filter_attribute,
        clean_content_tags=set(CONTENT_REMOVED_TAGS),
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


# What each allowed tag does, in words, with an example a reader can copy.
FORMATTING_HELP = {
    "b": ("bold", "<b>bold</b>"),
    "strong": ("bold", "<b>bold</b>"),
    "i": ("italics", "<i>italics</i>"),
    "em": ("italics", "<i>italics</i>"),
    "a": ("links", '<a href="https://www.nhs.uk">NHS website</a>'),
    "blockquote": ("quotations", "<blockquote>a quotation</blockquote>"),
    "q": ("quotations", "<blockquote>a quotation</blockquote>"),
    "code": ("code", "<code>code</code>"),
    "del": ("crossed-out text", "<del>crossed out</del>"),
    "s": ("crossed-out text", "<del>crossed out</del>"),
    "strike": ("crossed-out text", "<del>crossed out</del>"),
}


def formatting_help() -> list[tuple[str, str]]:
    """The formatting readers may use (COMMENTS_ALLOWED_TAGS) in words, each with an example,
    once each: what the comment form offers instead of a raw list of tags."""
    found: dict[str, str] = {}
    for tag in allowed_tags():
        if tag in FORMATTING_HELP:
            words, example = FORMATTING_HELP[tag]
            found.setdefault(words, example)
    return list(found.items())


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _paragraph(chunk: str) -> str:
    lines = "<br>\n".join(line.strip() for line in chunk.split("\n"))
    # A quotation standing alone is a block of its own; a <p> around it would be invalid.
    if chunk.startswith("<blockquote") and chunk.endswith("</blockquote>"):
        return lines
    return f"<p>{lines}</p>"


def render_comment_html(body: str) -> SafeString:
    """Cleaned body with blank lines as paragraphs and single newlines as line breaks (wpautop)."""
    cleaned = clean_comment_html(body).replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [chunk.strip() for chunk in _PARAGRAPH_BREAK.split(cleaned) if chunk.strip()]
    html = "\n".join(_paragraph(chunk) for chunk in paragraphs)
    # Safe: the text has just passed the whitelist; only <p> and <br> were added.
    return mark_safe(html)  # noqa: S308
