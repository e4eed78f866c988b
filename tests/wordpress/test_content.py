"""Post HTML as article blocks: what the editor can edit, and nothing WordPress-only left over."""

import re

from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from bs4 import BeautifulSoup

from immunotherapy.wordpress.content import PARAGRAPH_FEATURES, SECTION_FEATURES, convert


class NoMedia:
    def image(self, *, wp_id=None, url=""):
        return None

    def document(self, url):
        return None

    def attached_images(self, post_id):
        return []


def body_of(html: str, **kwargs):
    return convert(html, media=NoMedia(), post_id=1, **kwargs)


def texts(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


HOSTILE = """<!-- wp:paragraph --><p>Intro.</p><!-- /wp:paragraph -->
<h2>First <em>part</em></h2>
<p>Some <strong>bold</strong>, <u>underlined</u>, <code>code</code>, <sup>1</sup> and
<a href="javascript:alert(1)">a bad link</a> and <a href="https://ok.example">a good one</a>.</p>
<h5>Small heading</h5><ol><li>one<ul><li>nested</li></ul></li></ol>
<script>alert(1)</script><iframe src="https://evil.example"></iframe>
<hr><h3>After a rule</h3><p>Closing.</p>"""


def test_sections_split_at_h2_and_text_before_is_the_intro():
    result = body_of(HOSTILE)
    assert result.intro == "Intro."
    assert [b["type"] for b in result.body] == ["section", "paragraph"]
    assert result.body[0]["value"]["heading"] == "First part"


def test_rich_text_uses_only_the_editors_features():
    result = body_of(HOSTILE)
    section, closing = result.body[0]["value"]["body"], result.body[1]["value"]
    for html, features in ((section, SECTION_FEATURES), (closing, PARAGRAPH_FEATURES)):
        # Draftail (the editor) reads it and writes back the same text: nothing it cannot hold.
        converter = ContentstateConverter(features=list(features))
        round_trip = converter.to_database_format(converter.from_database_format(html))
        assert texts(round_trip) == texts(html)
    tags = {tag.name for tag in BeautifulSoup(section, "html.parser").find_all(True)}
    assert tags <= {"p", "b", "i", "a", "h3", "h4", "ol", "ul", "li", "br"}
    assert "javascript" not in section and "alert" not in section
    assert '<a href="https://ok.example">a good one</a>' in section
    assert "<h4>Small heading</h4>" in section
    assert "<h3>" not in closing and "<b>After a rule</b>" in closing  # no subheadings there
    for dropped in ("<u>", "<code>", "<sup>", "<h5>", "<script>", "<iframe>"):
        assert any(dropped in note for note in result.notes), dropped


def test_classic_editor_text_gets_paragraphs_and_line_breaks():
    result = body_of("First line\nsecond line\n\n<h2>Heading</h2>\nText under it.")
    assert result.intro == "First line second line"
    assert result.body[0]["value"]["body"] == "<p>Text under it.</p>"


def test_no_shortcode_or_block_comment_is_left_as_text():
    html = (
        '<!-- wp:shortcode -->[gallery ids="3"]<!-- /wp:shortcode -->'
        '<p>[video src="https://vimeo.com/1"] [unknown_thing a="1"]x[/unknown_thing] '
        '[audio mp3="https://x.example/wp-content/uploads/a.mp3"][/audio] '
        "[caption]no image[/caption]</p>"
        "<!-- wp:my/widget /-->"
    )
    result = body_of(html)
    raw = str(result.body) + result.intro
    assert not re.search(r"\[/?[a-z]", raw) and "wp:" not in raw
    assert {
        "type": "embed",
        "value": {"url": "https://vimeo.com/1", "title": "Embedded media from vimeo.com"},
    } in result.body
    assert "unknown shortcode [unknown_thing]: removed" in result.notes
    assert any("wp:my/widget" in note for note in result.notes)
    assert any("image 3" in note for note in result.notes)


def test_gallery_ids_that_are_not_whole_numbers_are_skipped():
    result = body_of('[gallery ids="²,3"]<img class="wp-image-٣" src="">')
    assert any("image 3" in note for note in result.notes)
    assert not any("²" in note for note in result.notes)


def test_escaped_shortcodes_stay_as_text():
    result = body_of("<p>Write [[gallery]] to show a gallery.</p>")
    assert result.intro == "Write [gallery] to show a gallery."
