"""What a reader may type as a name, a website and a comment: one set of rules and messages,
used by the HTML form, the JSON API and the model (so the admin and every import obey them too).
"""

import html
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.html import strip_tags

NAME_REQUIRED = "Please type your name."
EMAIL_REQUIRED = "Please type your email address."
BODY_REQUIRED = "Please type your comment."
CONTROL_CHARACTERS = "Remove the control characters (such as escape codes) from this text."
URL_INVALID = "Enter a web address starting with http:// or https://, without spaces or quotes."

# C0 and C1 control characters, and DEL; a comment body keeps tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Characters that look like nothing besides whitespace and format characters (Unicode category
# Cf: zero-width space and joiners, word joiner, byte order mark, direction marks): the Hangul
# fillers, the braille blank, the combining grapheme joiner and the variation selectors.
_BLANK = frozenset(
    "\u115f\u1160\u3164\uffa0\u2800\u034f"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)
# Quotes, angle brackets, backticks and backslashes have no place in a commenter's web address,
# and would let it break out of an attribute in a careless front end.
_URL_FORBIDDEN = re.compile(r"[\s\"'<>`\\]")
_HAS_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
_http_url = URLValidator(schemes=["http", "https"], message=URL_INVALID)


def _is_visible(char: str) -> bool:
    return not (char.isspace() or unicodedata.category(char) in {"Cc", "Cf"} or char in _BLANK)


def visible_text(value: str) -> str:
    """The characters of `value` a reader can see: tags and invisible characters removed."""
    return "".join(filter(_is_visible, html.unescape(strip_tags(value))))


def validate_single_line(value: str) -> None:
    """No control characters at all (names, email addresses, web addresses)."""
    if _CONTROL.search(value):
        raise ValidationError(CONTROL_CHARACTERS, code="control_characters")


def validate_multiline(value: str) -> None:
    """No control characters but tabs and line breaks (comment bodies)."""
    if _CONTROL_BUT_LINES.search(value):
        raise ValidationError(CONTROL_CHARACTERS, code="control_characters")


@deconstructible
class VisibleTextValidator:
    """Refuses text that shows nothing once tags and invisible characters are removed."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, value: str) -> None:
        if not visible_text(value):
            raise ValidationError(self.message, code="required")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VisibleTextValidator) and other.message == self.message


@deconstructible
class ReaderLengthValidator(MaxLengthValidator):
    """A length limit counted on what the reader typed: stored text has "<" escaped as "&lt;",
    which must not count four times."""

    def clean(self, value: Any) -> int:
        return len(html.unescape(value))


def validate_author_url(value: str) -> None:
    """An http or https address with no spaces, quotes or angle brackets."""
    validate_single_line(value)
    if _URL_FORBIDDEN.search(value):
        raise ValidationError(URL_INVALID, code="invalid")
    _http_url(value)


def clean_author_url(value: str) -> str:
    """The commenter's web address, with https:// added when they typed none; "" when blank."""
    value = value.strip()
    if not value:
        return ""
    if not _HAS_SCHEME.match(value):
        value = f"https://{value}"
    validate_author_url(value)
    return value


Validator = Callable[[str], None]
NAME_VALIDATORS: list[Validator] = [validate_single_line, VisibleTextValidator(NAME_REQUIRED)]
BODY_VALIDATORS: list[Validator] = [validate_multiline, VisibleTextValidator(BODY_REQUIRED)]
