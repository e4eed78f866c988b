"""Reading a WordPress export (WXR 1.1 or 1.2) safely, one item at a time.

The XML goes through defusedxml's parser with DTDs forbidden, so entity expansion (billion
laughs) and external entities (XXE) are refused before they are read. The file is fed to a pull
parser a line at a time: memory stays flat on exports of any size, and every error names the line
it was found on. Each `<item>` is dropped from the tree once it has been handed on.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any, TypedDict
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, XMLPullParser

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from site_config.params import InvalidNumber, parse_int

SUPPORTED_VERSIONS = ("1.1", "1.2")
WP_NAMESPACE = "http://wordpress.org/export/{version}/"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
EMPTY_DATE = "0000-00-00 00:00:00"


class WXRError(Exception):
    """The file cannot be imported: not XML, not a WordPress export, or a version we do not read."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message, self.line = message, line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass(frozen=True)
class WXRAuthor:
    login: str
    email: str
    display_name: str


@dataclass
class WXRSite:
    """The export's channel: where it came from and who wrote for it."""

    version: str
    base_url: str
    title: str = ""
    authors: dict[str, WXRAuthor] = field(default_factory=dict)


@dataclass
class WXRComment:
    id: int
    author: str
    email: str
    url: str
    ip: str
    date: datetime | None
    content: str
    approved: str
    type: str
    parent: int


@dataclass
class WXRItem:
    """One `<item>`: a post, page, attachment or any other post type WordPress exported."""

    id: int
    post_type: str
    title: str
    link: str
    guid: str
    creator: str
    content: str
    excerpt: str
    date: datetime | None
    modified: str
    comment_status: str
    slug: str
    status: str
    parent: int
    password: str
    attachment_url: str
    line: int
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # domain, slug, name
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WXRComment] = field(default_factory=list)


def _parse_date(value: str) -> datetime | None:
    value = value.strip()
    if not value or value == EMPTY_DATE:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


class _Reader:
    def __init__(self, wp: str, excerpt: str, lines: dict[Element, int]) -> None:
        # `lines`: the line each element of the current item starts on, for error messages.
        self.wp, self.excerpt, self.lines = wp, excerpt, lines

    def text(self, element: Element, tag: str) -> str:
        child = element.find(tag)
        return (child.text or "") if child is not None else ""

    def wp_text(self, element: Element, name: str) -> str:
        return self.text(element, f"{{{self.wp}}}{name}")

    def wp_int(self, element: Element, name: str) -> int:
        """The id in `<wp:name>`; 0 when the element is missing or empty."""
        child = element.find(f"{{{self.wp}}}{name}")
        text = (child.text or "").strip() if child is not None else ""
        if child is None or not text:
            return 0
        try:
            return parse_int(text, name=name)
        except InvalidNumber:
            raise WXRError(
                f"<wp:{name}> must be a whole number, not {text!r}", self.lines.get(child)
            ) from None

    def site(self, channel: Element, version: str) -> WXRSite:
        authors = {}
        for author in channel.iter(f"{{{self.wp}}}author"):
            login = self.wp_text(author, "author_login").strip()
            authors[login] = WXRAuthor(
                login=login,
                email=self.wp_text(author, "author_email").strip(),
                display_name=self.wp_text(author, "author_display_name").strip(),
            )
        base = self.wp_text(channel, "base_blog_url") or self.wp_text(channel, "base_site_url")
        return WXRSite(
            version=version,
            base_url=(base or self.text(channel, "link")).strip().rstrip("/"),
            title=self.text(channel, "title").strip(),
            authors=authors,
        )

    def comment(self, element: Element) -> WXRComment:
        date = _parse_date(self.wp_text(element, "comment_date_gmt")) or _parse_date(
            self.wp_text(element, "comment_date")
        )
        return WXRComment(
            id=self.wp_int(element, "comment_id"),
            author=self.wp_text(element, "comment_author").strip(),
            email=self.wp_text(element, "comment_author_email").strip(),
            url=self.wp_text(element, "comment_author_url").strip(),
            ip=self.wp_text(element, "comment_author_IP").strip(),
            date=date,
            content=self.wp_text(element, "comment_content"),
            approved=self.wp_text(element, "comment_approved").strip(),
            type=self.wp_text(element, "comment_type").strip(),
            parent=self.wp_int(element, "comment_parent"),
        )

    def item(self, element: Element, line: int) -> WXRItem:
        wp = self.wp_text
        date = _parse_date(wp(element, "post_date_gmt")) or _parse_date(wp(element, "post_date"))
        meta = {
            wp(entry, "meta_key").strip(): wp(entry, "meta_value")
            for entry in element.findall(f"{{{self.wp}}}postmeta")
        }
        return WXRItem(
            id=self.wp_int(element, "post_id"),
            post_type=wp(element, "post_type").strip(),
            title=self.text(element, "title").strip(),
            link=self.text(element, "link").strip(),
            guid=self.text(element, "guid").strip(),
            creator=self.text(element, DC_CREATOR).strip(),
            content=self.text(element, CONTENT),
            excerpt=self.text(element, f"{{{self.excerpt}}}encoded").strip(),
            date=date,
            modified=wp(element, "post_modified_gmt").strip() or wp(element, "post_modified"),
            comment_status=wp(element, "comment_status").strip(),
            slug=wp(element, "post_name").strip(),
            status=wp(element, "status").strip(),
            parent=self.wp_int(element, "post_parent"),
            password=wp(element, "post_password"),
            attachment_url=wp(element, "attachment_url").strip(),
            line=line,
            categories=[
                (c.get("domain", ""), c.get("nicename", ""), (c.text or "").strip())
                for c in element.findall("category")
            ],
            meta=meta,
            comments=[self.comment(c) for c in element.findall(f"{{{self.wp}}}comment")],
        )


class _ParseState(TypedDict):
    root: Element | None
    channel: Element | None
    site: WXRSite | None
    version: str | None


def _lines(source: IO[bytes]) -> Iterable[bytes]:
    yield from iter(source.readline, b"")


def parse(source: IO[bytes]) -> Iterator[WXRSite | WXRItem]:
    """Yield the export's `WXRSite` first, then each `WXRItem`; raise `WXRError` on a bad file."""
    parser = DefusedXMLParser(target=TreeBuilder(), forbid_dtd=True)
    # `_parser` is how ElementTree.iterparse (and defusedxml's) hand XMLPullParser its parser.
    pull = XMLPullParser(events=("start", "end", "start-ns"), _parser=parser)
    namespaces: set[str] = set()
    state: _ParseState = {"root": None, "channel": None, "site": None, "version": None}
    reader: _Reader | None = None
    lines: dict[Element, int] = {}
    line = 0
    item_line = 1

    def site_from(channel: Element | None) -> WXRSite:
        nonlocal reader
        if channel is None:
            raise WXRError("not a WordPress export: no <channel>", line)
        version = state["version"]
        if version is None:
            raise WXRError("not a WordPress export: no <wp:wxr_version> in the channel", line)
        reader = _Reader(
            WP_NAMESPACE.format(version=version), _excerpt_namespace(namespaces), lines
        )
        return reader.site(channel, version)

    # Each event asked for is a pair: the payload is an Element, or (prefix, uri) for "start-ns".
    # typeshed types them as any event's tuple, some of one item (hence the ignores).
    def events() -> Iterator[tuple[str, Any]]:
        nonlocal line
        try:
            for chunk in _lines(source):
                line += 1
                pull.feed(chunk)
                yield from pull.read_events()  # type: ignore[misc]
            pull.close()
            yield from pull.read_events()  # type: ignore[misc]
        except ParseError as exc:
            raise WXRError(f"not well-formed XML: {_xml_message(exc)}", exc.position[0]) from None
        except DefusedXmlException as exc:
            raise WXRError(
                f"refused: the file declares a DTD or entities ({type(exc).__name__})",
                line,
            ) from None

    for event, payload in events():
        if event == "start-ns":
            namespaces.add(payload[1])
            continue
        element: Element = payload
        if event == "start":
            lines[element] = line
            if state["root"] is None:
                state["root"] = element
                if element.tag != "rss":
                    name = element.tag.split("}")[-1]
                    raise WXRError(
                        f"not a WordPress export: the root element is <{name}>, not <rss>",
                        line,
                    )
            elif element.tag == "channel" and state["channel"] is None:
                state["channel"] = element
            elif element.tag == "item":
                item_line = line
                if state["site"] is None:
                    state["site"] = site = site_from(state["channel"])
                    yield site
            continue
        # "end" events
        tag = element.tag
        if tag.endswith("}wxr_version") and state["version"] is None:
            state["version"] = version = (element.text or "").strip()
            if version not in SUPPORTED_VERSIONS:
                raise WXRError(
                    f"unsupported WXR version {version} (this importer reads "
                    f"{' and '.join(SUPPORTED_VERSIONS)}, as WordPress 5 and 6 write them)",
                    line,
                )
            if tag != f"{{{WP_NAMESPACE.format(version=state['version'])}}}wxr_version":
                raise WXRError(
                    f"unsupported WXR version {state['version']!r}: its namespace is {tag}",
                    line,
                )
        elif tag == "item" and reader is not None and state["channel"] is not None:
            # (the reader exists only once the channel does)
            yield reader.item(element, item_line)
            state["channel"].remove(element)
            lines.clear()
    if state["channel"] is None:
        raise WXRError("not a WordPress export: no <channel>", line)
    if state["site"] is None:
        yield site_from(state["channel"])


def _excerpt_namespace(namespaces: set[str]) -> str:
    for uri in namespaces:
        if uri.startswith("http://wordpress.org/export/") and uri.endswith("/excerpt/"):
            return uri
    return "http://wordpress.org/export/1.2/excerpt/"


def _xml_message(exc: ParseError) -> str:
    # "mismatched tag: line 3, column 2" -> "mismatched tag"; the line is reported separately.
    return str(exc).split(": line ")[0]
