"""A post's HTML as article body blocks: sections split at `h2`, figures, quotes, tables, embeds.

Rich text keeps only what the article editor offers (the features of the body's own rich text
blocks); any other formatting is dropped with its text kept, and named in the notes.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import PurePosixPath
from typing import Any, Protocol
from urllib.parse import urlparse

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from immunotherapy.blocks import ArticleStreamBlock
from site_config.params import optional_int

from . import shortcodes

_BODY = ArticleStreamBlock()
SECTION_FEATURES = frozenset(_BODY.child_blocks["section"].child_blocks["body"].features)
PARAGRAPH_FEATURES = frozenset(_BODY.child_blocks["paragraph"].features)
# Inline tags the editor writes, and the feature each needs.
INLINE = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic"}
SUBHEADINGS = {"h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
REMOVED_WITH_CONTENT = frozenset(
    {"script", "style", "noscript", "form", "input", "button", "select", "textarea", "svg",
     "object", "canvas", "template", "head", "title", "meta", "link"}
)  # fmt: skip
CONTAINERS = frozenset(
    {"div", "section", "article", "main", "header", "footer", "aside", "nav", "center",
     "body", "html", "details", "summary", "dl", "dd", "dt", "address", "hgroup"}
)  # fmt: skip
_WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com")


class Media(Protocol):
    """What the converter asks about the export's attachments."""

    def image(self, *, wp_id: int | None = None, url: str = "") -> Any: ...

    def document(self, url: str) -> Any: ...

    def attached_images(self, post_id: int) -> list[int]: ...


@dataclass
class Converted:
    intro: str
    body: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)


# --- Pieces: what the HTML holds, in order, before it is laid out as blocks -----------------


@dataclass
class Heading:
    text: str


@dataclass
class Rich:
    html: str
    is_paragraph: bool = False


@dataclass
class Block:
    type: str
    value: dict[str, Any]


class Separator:
    pass


class _Converter:
    def __init__(self, media: Media, post_id: int) -> None:
        self.media, self.post_id = media, post_id
        self.dropped: Counter[str] = Counter()
        self.notes: list[str] = []

    # Shortcodes become HTML the walker below reads.
    def shortcode_handlers(self) -> dict[str, shortcodes.Handler]:
        return {
            "caption": self._caption,
            "wp_caption": self._caption,
            "gallery": self._gallery,
            "embed": lambda attrs, content: _embed_html(content.strip()),
            "audio": self._media_file,
            "video": self._media_file,
        }

    def _caption(self, attrs: dict[str, str], content: str) -> str:
        match = re.search(r"(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", content)
        if match is None:
            return f"<p>{content}</p>"
        wp_id = attrs.get("id", "").removeprefix("attachment_")
        caption = attrs.get("caption") or content[match.end() :].strip()
        return (
            f'<figure data-wp-attachment="{escape(wp_id)}">{match.group(0)}'
            f"<figcaption>{caption}</figcaption></figure>"
        )

    def _gallery(self, attrs: dict[str, str], content: str) -> str:
        ids = [optional_int(part.strip()) for part in attrs.get("ids", "").split(",")]
        ids = [wp_id for wp_id in ids if wp_id is not None]
        if ids:
            images = "".join(f'<img data-wp-attachment="{wp_id}">' for wp_id in ids)
        else:  # [gallery] alone shows the images attached to the post
            attached = self.media.attached_images(self.post_id)
            images = "".join(f'<img data-wp-attachment="{wp_id}">' for wp_id in attached)
        return f'<figure class="wp-block-gallery">{images}</figure>'

    def _media_file(self, attrs: dict[str, str], content: str) -> str:
        source = attrs.get("src") or next(
            (
                attrs[key]
                for key in ("mp3", "m4a", "ogg", "wav", "mp4", "m4v", "webm", "ogv", "wmv", "flv")
                if attrs.get(key)
            ),
            "",
        )
        if not source:
            self.notes.append("[audio] or [video] without a file: left out")
            return ""
        if any(host in urlparse(source).netloc for host in _VIDEO_HOSTS):
            return _embed_html(source)
        name = PurePosixPath(urlparse(source).path).name or source
        return f'<p><a href="{escape(source)}">{escape(name)}</a></p>'

    # --- HTML to pieces ---------------------------------------------------------------------

    def pieces(self, nodes: Iterable[Any]) -> list[Any]:
        out: list[Any] = []
        inline: list[str] = []

        def flush() -> None:
            text = "".join(inline).strip()
            inline.clear()
            if text and _has_text(text):
                out.append(Rich(f"<p>{text}</p>", is_paragraph=True))

        for node in nodes:
            if isinstance(node, Comment):
                continue
            if isinstance(node, NavigableString):
                inline.append(escape(str(node)))
                continue
            if not isinstance(node, Tag):
                continue
            name = node.name
            if name in ("h1", "h2"):
                flush()
                text = _text(node)
                if text:
                    out.append(Heading(text))
            elif name in SUBHEADINGS:
                flush()
                text = self.inline(node)
                if _has_text(text):
                    level = SUBHEADINGS[name]
                    if level != name:
                        self.dropped[name] += 1
                    out.append(Rich(f"<{level}>{text}</{level}>"))
            elif name == "p":
                flush()
                out.extend(self.paragraph(node))
            elif name in ("ul", "ol"):
                flush()
                out.append(Rich(self.list_html(node)))
            elif name == "blockquote":
                flush()
                out.append(self.quote(node))
            elif name == "table":
                flush()
                out.append(self.table(node))
            elif name == "figure":
                flush()
                out.extend(self.figure(node))
            elif name == "img":
                flush()
                out.extend(self.images([node], ""))
            elif name == "hr":
                flush()
                out.append(Separator())
            elif name == "iframe":
                flush()
                out.extend(self.iframe(node))
            elif name in ("pre", "code"):
                flush()
                self.dropped[name] += 1
                lines = [escape(line) for line in node.get_text().splitlines()]
                if any(line.strip() for line in lines):
                    out.append(Rich("<p>" + "<br/>".join(lines) + "</p>", is_paragraph=True))
            elif name in ("audio", "video"):
                flush()
                source = _attr(node, "src") or next(
                    (_attr(s, "src") for s in node.find_all("source") if _attr(s, "src")), ""
                )
                if source:
                    out.append(Rich(self.link_html(source, PurePosixPath(source).name), True))
            elif name in REMOVED_WITH_CONTENT:
                self.dropped[name] += 1
            elif name in CONTAINERS:
                flush()
                out.extend(self.pieces(node.children))
            elif node.find(["img", "p", "h2", "table", "ul", "ol", "figure", "blockquote"]):
                # An inline wrapper (a link, a span) around blocks: its content counts.
                flush()
                out.extend(self.pieces(node.children))
            else:
                inline.append(self.inline_node(node))
        flush()
        return out

    def paragraph(self, node: Tag) -> list[Any]:
        if node.find(["figure", "table", "blockquote", "ul", "ol", "div", "iframe", "h2"]):
            return self.pieces(node.children)  # a shortcode's figure inside a wpautop paragraph
        images = node.find_all("img")
        if not images:
            text = self.inline(node)
            return [Rich(f"<p>{text}</p>", is_paragraph=True)] if _has_text(text) else []
        # Images inside a paragraph become figures; the text around them stays a paragraph.
        for image in images:
            parent = image.parent
            wrapper = parent if parent is not None and parent.name == "a" else image
            wrapper.extract()
        text = self.inline(node)
        out: list[Any] = [Rich(f"<p>{text}</p>", is_paragraph=True)] if _has_text(text) else []
        return self.images(images, "") + out

    def inline(self, node: Tag) -> str:
        return "".join(self.inline_node(child) for child in node.children).strip()

    def inline_node(self, node: Any) -> str:
        if isinstance(node, Comment):
            return ""
        if isinstance(node, NavigableString):
            return escape(str(node))
        if not isinstance(node, Tag):
            return ""
        name = node.name
        if name == "br":
            return "<br/>"
        if name in REMOVED_WITH_CONTENT or name == "img":
            if name != "img":
                self.dropped[name] += 1
            return ""
        inner = self.inline(node)
        if name in INLINE:
            tag = "b" if INLINE[name] == "bold" else "i"
            return f"<{tag}>{inner}</{tag}>" if inner else ""
        if name == "a":
            href = _attr(node, "href").strip()
            return self.link_html(href, inner, inner_is_html=True) if href else inner
        self.dropped[name] += 1
        return inner

    def link_html(self, href: str, inner: str, inner_is_html: bool = False) -> str:
        label = inner if inner_is_html else escape(inner)
        document = self.media.document(href)
        if document is not None:
            return f'<a linktype="document" id="{document.pk}">{label}</a>'
        if not href.lower().startswith(("http://", "https://", "mailto:", "/", "#", "tel:")):
            self.dropped["a"] += 1
            return label
        return f'<a href="{escape(href)}">{label}</a>'

    def list_html(self, node: Tag) -> str:
        items = []
        for item in node.find_all("li", recursive=False):
            nested = [child.extract() for child in item.find_all(["ul", "ol"], recursive=False)]
            text = self.inline(item)
            items.append(f"<li>{text}{''.join(self.list_html(n) for n in nested)}</li>")
        return f"<{node.name}>{''.join(items)}</{node.name}>"

    def quote(self, node: Tag) -> Block:
        cite = node.find(["cite", "footer"])
        attribution = _text(cite) if cite else ""
        if cite:
            cite.extract()
        paragraphs = [_text(p) for p in node.find_all("p")] or [_text(node)]
        return Block(
            "quote",
            {"quote": "\n".join(p for p in paragraphs if p), "attribution": attribution},
        )

    def table(self, node: Tag, caption: str = "") -> Block:
        rows = [
            [_text(cell) for cell in row.find_all(["td", "th"], recursive=False)]
            for row in node.find_all("tr")
        ]
        width = max((len(row) for row in rows), default=0)
        rows = [row + [""] * (width - len(row)) for row in rows]
        first_row = node.find("tr")
        header = bool(node.find("thead")) or bool(
            first_row and first_row.find_all("th") and not first_row.find_all("td")
        )
        table_caption = node.find("caption")
        return Block(
            "table",
            {
                "data": rows,
                "first_row_is_table_header": header,
                "first_col_is_header": False,
                "table_caption": caption or (_text(table_caption) if table_caption else ""),
            },
        )

    def figure(self, node: Tag) -> list[Any]:
        classes = node.get_attribute_list("class")
        caption_node = node.find("figcaption")
        caption = _text(caption_node) if caption_node else ""
        if caption_node:
            caption_node.extract()
        if "wp-block-embed" in classes or _attr(node, "data-embed"):
            url = _attr(node, "data-embed") or _text(node)
            return [self.embed(url, caption)] if url else []
        if table := node.find("table"):
            return [self.table(table, caption)]
        if quote := node.find("blockquote"):
            return [self.quote(quote)]
        images = node.find_all("img")
        if images:
            return self.images(images, caption, wp_id=_attr(node, "data-wp-attachment"))
        return self.pieces(node.children)

    def embed(self, url: str, caption: str) -> Block:
        host = urlparse(url).netloc.removeprefix("www.") or "another site"
        return Block("embed", {"url": url, "title": caption or f"Embedded media from {host}"})

    def iframe(self, node: Tag) -> list[Any]:
        source = _attr(node, "src")
        if any(host in urlparse(source).netloc for host in _VIDEO_HOSTS):
            return [self.embed(source, _attr(node, "title"))]
        self.dropped["iframe"] += 1
        return []

    def images(self, nodes: list[Tag], caption: str, wp_id: str | None = None) -> list[Block]:
        out = []
        for node in nodes:
            image = self._image_for(node, wp_id if len(nodes) == 1 else None)
            if image is None:
                source = _attr(node, "src") or _attr(node, "data-wp-attachment") or "?"
                self.notes.append(f"image {source} is not in the export's media: left out")
                continue
            alt = _attr(node, "alt").strip() or image.default_alt_text or caption
            if not alt:
                alt = image.title
                self.notes.append(f"image {image.title!r} had no alt text: its title is used")
            out.append(
                Block(
                    "figure", {"image": image.pk, "alt_text": alt[:255], "caption": caption[:255]}
                )
            )
        return out

    def _image_for(self, node: Tag, wp_id: str | None) -> Any:
        ids = [_attr(node, "data-wp-attachment"), wp_id]
        match = _WP_IMAGE_CLASS.search(" ".join(node.get_attribute_list("class")))
        ids.append(match.group(1) if match else None)
        for candidate in map(optional_int, ids):
            if candidate is not None:
                image = self.media.image(wp_id=candidate)
                if image is not None:
                    return image
        return self.media.image(url=_attr(node, "src")) if _attr(node, "src") else None


def _attr(node: Tag, name: str) -> str:
    """A single-valued attribute such as src or href, "" when missing (class is a list)."""
    value = node.get(name)
    return value if isinstance(value, str) else ""


def _text(node: Tag) -> str:
    return " ".join(node.get_text(" ").split())


def _has_text(html: str) -> bool:
    return bool(BeautifulSoup(html, "html.parser").get_text().strip()) or "linktype" in html


def _embed_html(url: str) -> str:
    return f'<figure data-embed="{escape(url)}"></figure>' if url else ""


# --- Laying the pieces out as blocks ------------------------------------------------------


def _fit(html: str, features: frozenset[str], dropped: Counter[str]) -> str:
    """Rich text limited to `features`: subheadings become bold paragraphs, document links
    plain links, lists paragraphs."""
    if {"h3", "h4"} - features:
        for level in ("h3", "h4"):
            if level not in features and f"<{level}>" in html:
                dropped[level] += html.count(f"<{level}>")
                html = re.sub(rf"<{level}>(.*?)</{level}>", r"<p><b>\1</b></p>", html, flags=re.S)
    if "document-link" not in features and 'linktype="document"' in html:
        soup = BeautifulSoup(html, "html.parser")
        for link in soup.find_all("a", attrs={"linktype": "document"}):
            link.unwrap()
            dropped["document link"] += 1
        html = str(soup)
    return html


def _layout(pieces: list[Any], dropped: Counter[str]) -> list[dict[str, Any]]:
    """Sections from each heading to the next; a figure, quote or table under a heading follows
    its section's text, so a section's text is never cut in two; text before the first heading
    or after a horizontal rule is a paragraph block."""
    blocks: list[dict[str, Any]] = []
    section: dict[str, Any] | None = None
    paragraph: list[str] = []

    def close() -> None:
        nonlocal section
        if paragraph:
            html = _fit("".join(paragraph), PARAGRAPH_FEATURES, dropped)
            blocks.append({"type": "paragraph", "value": html})
            paragraph.clear()
        if section is not None:
            body = _fit("".join(section["parts"]), SECTION_FEATURES, dropped) or "<p></p>"
            value = {"heading": section["heading"], "anchor": "", "body": body}
            blocks.append({"type": "section", "value": value})
            blocks.extend(section["after"])
            section = None

    for piece in pieces:
        if isinstance(piece, Heading):
            close()
            section = {"heading": piece.text[:200], "parts": [], "after": []}
        elif isinstance(piece, Rich):
            (section["parts"] if section is not None else paragraph).append(piece.html)
        elif isinstance(piece, Separator):
            close()
        elif section is not None:
            section["after"].append({"type": piece.type, "value": piece.value})
        else:
            close()
            blocks.append({"type": piece.type, "value": piece.value})
    close()
    return blocks


def convert(
    content: str, *, media: Media, post_id: int, excerpt: str = "", featured_image: Any = None
) -> Converted:
    """The post's intro (its excerpt, or else its first paragraph) and its body blocks."""
    converter = _Converter(media, post_id)
    notes = converter.notes
    if shortcodes.has_block_markup(content):
        content = shortcodes.strip_block_comments(content, notes)
    elif "<p" not in content.lower():
        content = shortcodes.autop(content)
    content = shortcodes.expand_shortcodes(content, converter.shortcode_handlers(), notes)
    soup = BeautifulSoup(content, "html.parser")
    pieces = converter.pieces(soup.children)

    intro = " ".join(BeautifulSoup(excerpt, "html.parser").get_text(" ").split())
    if not intro:
        first = next((i for i, p in enumerate(pieces) if not isinstance(p, Separator)), None)
        if first is not None and isinstance(pieces[first], Rich) and pieces[first].is_paragraph:
            intro = " ".join(
                BeautifulSoup(pieces.pop(first).html, "html.parser").get_text(" ").split()
            )
    body = _layout(pieces, converter.dropped)
    if featured_image is not None and not any(
        block["type"] == "figure" and block["value"]["image"] == featured_image.pk for block in body
    ):
        alt = featured_image.default_alt_text or featured_image.title
        body.insert(
            0,
            {
                "type": "figure",
                "value": {"image": featured_image.pk, "alt_text": alt, "caption": ""},
            },
        )
    notes.extend(
        f"<{tag}> is not in the editor's rich text: dropped {count}× (text kept)"
        for tag, count in sorted(converter.dropped.items())
    )
    return Converted(intro=intro, body=body, notes=notes)
