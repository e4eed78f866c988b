"""WordPress's own markup around post HTML: block comments, shortcodes and `wpautop` paragraphs.

Everything here turns text into plain HTML the converter (`content.py`) understands; what it
cannot turn into HTML it removes and names in the notes, so no `[shortcode]` or `<!-- wp: -->`
is ever left in a page as text.
"""

import html
import re
from collections.abc import Callable

# Blocks whose saved HTML is ordinary markup the converter reads (images, lists, quotes...).
KNOWN_BLOCKS = frozenset(
    {
        "paragraph", "heading", "list", "list-item", "image", "gallery", "quote", "pullquote",
        "table", "embed", "separator", "spacer", "html", "group", "columns", "column",
        "freeform", "shortcode", "audio", "video", "file", "preformatted", "code", "verse",
        "more", "nextpage", "media-text", "cover", "buttons", "button", "details",
    }
)  # fmt: skip
# Shortcodes WordPress itself registers; `content.py` reads what these become.
KNOWN_SHORTCODES = frozenset(
    {"caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist"}
)

_BLOCK_COMMENT = re.compile(
    r"<!--\s+(?P<close>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)"
    r"(?P<attrs>\s+\{.*?\})?\s*(?P<void>/)?-->",
    re.DOTALL,
)
_SHORTCODE_NAME = re.compile(r"\[(?P<name>[a-zA-Z][\w-]*)(?=[\s\]/])")
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)"""
)
_HAS_ATTRIBUTES = re.compile(r"\[(?P<name>[a-zA-Z][\w-]*)\s+[\w-]+\s*=")
_BLOCK_TAGS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|"
    "area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|"
    "hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|audio|video|script"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCK_TAGS})[\s/>])", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCK_TAGS})>)", re.IGNORECASE)
_STARTS_WITH_BLOCK = re.compile(rf"^\s*</?(?:{_BLOCK_TAGS})[\s/>]", re.IGNORECASE)


def strip_block_comments(text: str, notes: list[str]) -> str:
    """Remove Gutenberg's `<!-- wp:name {...} -->` delimiters, noting blocks we do not know."""
    unknown: set[str] = set()
    dynamic: set[str] = set()

    def remove(match: re.Match[str]) -> str:
        name = match.group("name")
        if name.removeprefix("core/") not in KNOWN_BLOCKS:
            (dynamic if match.group("void") else unknown).add(name)
        return ""

    text = _BLOCK_COMMENT.sub(remove, text)
    notes.extend(
        f"unknown block wp:{name}: its HTML was converted as usual" for name in sorted(unknown)
    )
    notes.extend(
        f"block wp:{name} has no saved content (it is built by WordPress on each view): left out"
        for name in sorted(dynamic)
    )
    return text


def has_block_markup(text: str) -> bool:
    return "<!-- wp:" in text


def autop(text: str) -> str:
    """WordPress's `wpautop`, as far as exports need it: blank lines are paragraphs, a single
    newline inside a paragraph is a line break; chunks that already are blocks stay as they are."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Like wpautop, block tags stand apart from the text around them.
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    out = []
    for chunk in chunks:
        if _STARTS_WITH_BLOCK.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def parse_attributes(text: str) -> dict[str, str]:
    """`shortcode_parse_atts`: name="value", name='value' and name=value pairs."""
    attributes = {}
    for match in _ATTRIBUTE.finditer(text):
        name = match.group(1) or match.group(3) or match.group(5)
        value = match.group(2) if match.group(1) else match.group(4) or match.group(6) or ""
        attributes[name.lower()] = html.unescape(value)
    return attributes


def _shortcode_names(text: str) -> set[str]:
    """Names used as shortcodes: WordPress's own, anything closed with [/name], or anything with
    name=value attributes. A bare `[sic]` or `[1]` in prose is text, as on the WordPress site
    (where only registered names are shortcodes)."""
    names = set()
    for match in _SHORTCODE_NAME.finditer(text):
        name = match.group("name")
        lower = name.lower()
        if lower in KNOWN_SHORTCODES or f"[/{name}]" in text:
            names.add(name)
    for match in _HAS_ATTRIBUTES.finditer(text):
        names.add(match.group("name"))
    return names


def _shortcode_pattern(names: set[str]) -> re.Pattern[str]:
    # The shape of WordPress's get_shortcode_regex(): [[escaped]], [name attrs /], [name]..[/name].
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(
        r"\[(?P<escape_open>\[?)(?P<name>" + alternatives + r")(?![\w-])"
        r"(?P<attrs>[^\]/]*(?:/(?!\])[^\]/]*)*?)"
        r"(?:(?P<self_close>/)\]|\](?:(?P<content>[^\[]*+(?:\[(?!/(?P=name)\])[^\[]*+)*+)"
        r"\[/(?P=name)\])?)(?P<escape_close>\]?)",
        re.DOTALL,
    )


Handler = Callable[[dict[str, str], str], str]


def expand_shortcodes(text: str, handlers: dict[str, Handler], notes: list[str]) -> str:
    """Replace every shortcode with what its handler returns; remove unknown ones, noting them."""
    names = _shortcode_names(text)
    if not names:
        return text
    pattern = _shortcode_pattern(names)
    unknown: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        if match.group("escape_open") and match.group("escape_close"):
            return match.group(0)[1:-1]  # [[caption]] is how WordPress writes a literal [caption]
        name = match.group("name").lower()
        attributes = parse_attributes(match.group("attrs") or "")
        content = match.group("content") or ""
        handler = handlers.get(name)
        if handler is None:
            unknown.add(name)
            return ""
        return handler(attributes, expand_shortcodes(content, handlers, notes))

    text = pattern.sub(replace, text)
    notes.extend(f"unknown shortcode [{name}]: removed" for name in sorted(unknown))
    return text
