import io

import pytest

from immunotherapy.wordpress.wxr import WXRError, WXRItem, WXRSite, parse
from tests.wordpress.conftest import SEED_EXPORT, SITE_EXPORT


def read(path):
    with path.open("rb") as handle:
        return list(parse(handle))


def read_bytes(text: str):
    return list(parse(io.BytesIO(text.encode())))


def test_reads_a_wordpress_6_export_site_first_then_items():
    site, *items = read(SEED_EXPORT)
    assert isinstance(site, WXRSite)
    assert (site.version, site.base_url) == ("1.2", "https://immunotherapy.example")
    assert site.authors["editorial"].display_name == "Immunotherapy Guide editorial team"
    (post,) = items
    assert isinstance(post, WXRItem)
    assert (post.id, post.post_type, post.status) == (42, "post", "publish")
    assert [c.type for c in post.comments].count("pingback") == 1
    assert ("post_tag", "car-t", "CAR-T") in post.categories


def test_reads_wxr_1_1_with_non_ascii_text_and_split_cdata():
    site, *items = read(SITE_EXPORT)
    assert site.version == "1.1"
    post = next(item for item in items if item.id == 301)
    assert post.title.startswith("Immuntherapie für Kinder")
    # WordPress writes "]]>" inside content as "]]]]><![CDATA[>": the reader joins it again.
    assert "a[b[0]]> c" in post.content
    assert post.meta["_thumbnail_id"] == "201"
    attachment = next(item for item in items if item.id == 201)
    assert attachment.attachment_url.endswith("2024/05/t-cell.png")
    assert attachment.meta["_wp_attached_file"] == "2024/05/t-cell.png"


def test_malformed_xml_names_the_line():
    text = SEED_EXPORT.read_text(encoding="utf-8").replace("</wp:post_id>", "</wp:post_idx>", 1)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "post_idx" in row)
    with pytest.raises(WXRError) as error:
        read_bytes(text)
    assert error.value.line == line
    assert "not well-formed XML" in str(error.value)


@pytest.mark.parametrize(
    ("original", "bad"),
    [
        ("<wp:post_id>42</wp:post_id>", "<wp:post_id>²</wp:post_id>"),
        (
            "<wp:comment_parent>101</wp:comment_parent>",
            "<wp:comment_parent>¹⁰¹</wp:comment_parent>",
        ),
        ("<wp:post_parent>0</wp:post_parent>", "<wp:post_parent>x</wp:post_parent>"),
    ],
)
def test_a_number_that_is_not_a_whole_number_names_its_element_and_line(original, bad):
    text = SEED_EXPORT.read_text(encoding="utf-8").replace(original, bad, 1)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if bad in row)
    with pytest.raises(WXRError) as error:
        read_bytes(text)
    assert error.value.line == line
    name = bad.split(">")[0] + ">"
    assert f"{name} must be a whole number, not" in str(error.value)


def test_plain_rss_is_not_a_wordpress_export():
    rss = (
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title>\n'
        "<item><title>a</title></item></channel></rss>"
    )
    with pytest.raises(WXRError, match="not a WordPress export"):
        read_bytes(rss)


def test_other_xml_is_not_a_wordpress_export():
    with pytest.raises(WXRError, match="root element is <feed>"):
        read_bytes('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>')


def test_wxr_1_0_is_refused_with_its_version():
    old = SEED_EXPORT.read_text(encoding="utf-8").replace("export/1.2/", "export/1.0/")
    old = old.replace("<wp:wxr_version>1.2<", "<wp:wxr_version>1.0<")
    with pytest.raises(WXRError, match="unsupported WXR version 1.0") as error:
        read_bytes(old)
    assert error.value.line == 22  # the <wp:wxr_version> line


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ],
    ids=["billion-laughs", "xxe"],
)
def test_entities_and_dtds_are_refused(doctype):
    text = SEED_EXPORT.read_text(encoding="utf-8").replace(
        '<rss version="2.0"', doctype + '\n<rss version="2.0"', 1
    )
    with pytest.raises(WXRError, match="refused"):
        read_bytes(text)


def test_an_item_outside_the_channel_is_not_a_wordpress_export():
    text = (
        '<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/">\n'
        "<wp:wxr_version>1.2</wp:wxr_version>\n<item><title>a</title></item></rss>"
    )
    with pytest.raises(WXRError, match="no <channel>") as error:
        read_bytes(text)
    assert error.value.line == 4  # the <item> line
