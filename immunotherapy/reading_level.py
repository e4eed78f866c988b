"""Reading level of a page's text (Flesch-Kincaid grade), as patient-education guidance asks."""

import re
from typing import Any

import textstat

# Patient-education guidance (e.g. the AMA and NIH) asks for grade 8 or below.
READING_GRADE_TARGET = 8
# Keys of block values that hold identifiers or choices, not prose readers read.
NON_PROSE_KEYS = {"id", "type", "level", "grade", "organ_system", "nct_id", "anchor", "url"}
# The stored rich text is well-formed HTML from the editor, and the text only feeds a count of
# words and syllables: dropping the tags is enough (Django's strip_tags parses, far slower).
TAG = re.compile(r"<[^>]*>")


def _strings(value: Any, key: str = "") -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in NON_PROSE_KEYS for s in _strings(v, k)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item, key)]
    if isinstance(value, str):
        text = TAG.sub("", value).strip()
        return [text if text.endswith((".", "!", "?", ":")) else f"{text}."] if text else []
    return []


def page_text(page: Any) -> str:
    """The prose of a page: its summary or introduction and the text of every body block."""
    parts = [getattr(page, "summary", "") or getattr(page, "intro", "")]
    body = getattr(page, "body", None)
    if body is not None:
        parts += _strings(list(body.raw_data))
    return " ".join(part for part in parts if part)


def reading_grade(page: Any) -> float | None:
    """The Flesch-Kincaid grade of the page's text, or None when there is too little text."""
    text = page_text(page)
    if len(text.split()) < 20:
        return None
    return round(float(textstat.flesch_kincaid_grade(text)), 1)
