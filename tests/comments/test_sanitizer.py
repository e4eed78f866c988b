"""Hostile HTML in a comment is stripped; the whitelisted tags survive (OWASP XSS cheat sheet)."""

from html.parser import HTMLParser

import pytest

from comments.sanitizer import (
    clean_comment_html,
    formatting_help,
    is_safe_url,
    render_comment_html,
)

WHITELIST = {
    "a": {"href", "title", "rel"},
    "abbr": {"title"},
    "acronym": {"title"},
    "b": set(),
    "blockquote": {"cite"},
    "cite": set(),
    "code": set(),
    "del": {"datetime"},
    "em": set(),
    "i": set(),
    "q": {"cite"},
    "s": set(),
    "strike": set(),
    "strong": set(),
}

XSS_PAYLOADS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
    '&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="jav&#x0A;ascript:alert(1)">newline</a>',
    '<a href="jav&#x0D;ascript:alert(1)">return</a>',
    '<a href=" &#14;  javascript:alert(1)">leading control</a>',
    '<a href="\x01javascript:alert(1)">raw control</a>',
    '<a href="javascript&colon;alert(1)">named entity</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<blockquote cite="javascript:alert(1)">quote</blockquote>',
    '<q cite="data:text/html,<script>alert(1)</script>">quote</q>',
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<BODY ONLOAD=alert('XSS')>",
    '<STYLE>li {list-style-image: url("javascript:alert(1)");}</STYLE><UL><LI>XSS</br>',
    '<DIV STYLE="background-image: url(javascript:alert(1))">',
    '<b style="x:expression(alert(1))">styled</b>',
    '<a href="https://ok.example" onclick="alert(1)" onmouseover=alert(2)>events</a>',
    '<a href="https://ok.example" style="position:fixed">style attr</a>',
    '<a href="https://ok.example"" onmouseover="alert(1)">attribute injection</a>',
    "<a href='https://ok.example' title='x' onfocus='alert(1)' autofocus>focus</a>",
    '<b><i><em onclick="alert(1)">nested</em></i></b>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    '<SCRIPT/XSS SRC="https://xss.example/xss.js"></SCRIPT>',
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    '<object data="javascript:alert(1)"></object><embed src="x.swf">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></mtext>"
    "</math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<a href="https://ok.example"><img src=x onerror=alert(1)>unclosed',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<!--<script>alert(1)</script>-->",
    '<base href="javascript:alert(1)//">',
]


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parsed_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_leaves_only_whitelisted_markup(payload: str) -> None:
    cleaned = clean_comment_html(payload)
    for tag, attrs in parsed_tags(cleaned):
        assert tag in WHITELIST, cleaned
        assert set(attrs) <= WHITELIST[tag], cleaned
        for name in ("href", "cite"):
            if attrs.get(name):
                assert is_safe_url(attrs[name]), cleaned
    lowered = cleaned.lower()
    for needle in ("<script", "<img", "<svg", "<iframe", "<style", " on", "javascript:", "data:"):
        assert needle not in lowered, cleaned


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_cleaning_is_stable(payload: str) -> None:
    once = clean_comment_html(payload)
    assert clean_comment_html(once) == once


def test_script_and_style_are_removed_with_their_content() -> None:
    cleaned = clean_comment_html("before<script>alert(1)</script><style>b{}</style>after")
    assert cleaned == "beforeafter"


def test_other_tags_are_removed_but_their_text_is_kept_and_escaped() -> None:
    assert clean_comment_html("<div><p>Hello</p> <span>there</span></div>") == "Hello there"
    assert clean_comment_html("5 < 6 & 7 > 3") == "5 &lt; 6 &amp; 7 &gt; 3"


def test_every_whitelisted_tag_survives_with_its_attributes() -> None:
    raw = (
        '<a href="https://example.org/" title="T">a</a> <abbr title="World Health">WHO</abbr> '
        '<acronym title="A">A</acronym> <b>b</b> <blockquote cite="https://example.org/q">bq'
        '</blockquote> <cite>c</cite> <code>x</code> <del datetime="2024-01-01">d</del> <em>e</em>'
        ' <i>i</i> <q cite="/local">q</q> <s>s</s> <strike>st</strike> <strong>str</strong>'
    )
    tags = parsed_tags(clean_comment_html(raw))
    assert [tag for tag, _ in tags] == list(WHITELIST)
    attrs = dict(tags)
    assert attrs["a"] == {"href": "https://example.org/", "title": "T", "rel": "nofollow ugc"}
    assert attrs["abbr"] == {"title": "World Health"}
    assert attrs["blockquote"] == {"cite": "https://example.org/q"}
    assert attrs["del"] == {"datetime": "2024-01-01"}
    assert attrs["q"] == {"cite": "/local"}


@pytest.mark.parametrize(
    "href",
    [
        "https://example.org/a?b=c#d",
        "http://example.org",
        "mailto:someone@example.org",
        "/page/",
        "#x",
    ],
)
def test_allowed_link_schemes_are_kept_with_nofollow_ugc(href: str) -> None:
    tags = parsed_tags(clean_comment_html(f'<a href="{href}">link</a>'))
    assert tags == [("a", {"href": href, "rel": "nofollow ugc"})]


@pytest.mark.parametrize("href", ["ftp://example.org/f", "tel:+15551234", "file:///etc/passwd"])
def test_other_schemes_are_dropped(href: str) -> None:
    assert parsed_tags(clean_comment_html(f'<a href="{href}">link</a>')) == [
        ("a", {"rel": "nofollow ugc"})
    ]


def test_a_rel_given_by_the_commenter_is_replaced() -> None:
    cleaned = clean_comment_html('<a href="https://x.example" rel="opener" target="_blank">x</a>')
    assert parsed_tags(cleaned) == [("a", {"href": "https://x.example", "rel": "nofollow ugc"})]


def test_attributes_outside_the_whitelist_are_dropped_from_every_tag() -> None:
    cleaned = clean_comment_html(
        '<b title="x" lang="en" id="i" class="c">y</b><abbr lang="en">z</abbr>'
    )
    assert cleaned == "<b>y</b><abbr>z</abbr>"


def test_unclosed_tags_are_closed() -> None:
    assert clean_comment_html("<b>bold <i>both") == "<b>bold <i>both</i></b>"


def test_html_comments_are_removed() -> None:
    assert clean_comment_html("a<!-- hidden -->b") == "ab"


def test_formatting_help_names_each_kind_of_formatting_once_in_words() -> None:
    assert [words for words, _ in formatting_help()] == [
        "links",
        "bold",
        "quotations",
        "code",
        "crossed-out text",
        "italics",
    ]
    assert dict(formatting_help())["bold"] == "<b>bold</b>"


def test_formatting_help_and_cleaning_follow_the_setting(settings) -> None:
    settings.COMMENTS_ALLOWED_TAGS = {"b": [], "a": ["href"]}
    assert [words for words, _ in formatting_help()] == ["bold", "links"]
    assert clean_comment_html('<b>x</b><i>y</i><a href="/" title="t">z</a>') == (
        '<b>x</b>y<a href="/" rel="nofollow ugc">z</a>'
    )


def test_render_makes_paragraphs_and_line_breaks() -> None:
    html = render_comment_html("First line\nsecond line\n\n\nNew <b>paragraph</b>\r\n")
    assert html == "<p>First line<br>\nsecond line</p>\n<p>New <b>paragraph</b></p>"


def test_render_leaves_a_standalone_quotation_unwrapped() -> None:
    html = render_comment_html(
        "You wrote:\n\n<blockquote>It helped.\nA lot.</blockquote>\n\nAgreed"
    )
    assert html == (
        "<p>You wrote:</p>\n<blockquote>It helped.<br>\nA lot.</blockquote>\n<p>Agreed</p>"
    )


def test_render_cleans_again_before_display() -> None:
    assert render_comment_html("<script>x</script><img src=x onerror=alert(1)>hi") == "<p>hi</p>"
