"""The import as a team runs it: `manage.py import_wordpress` on exports WordPress wrote."""

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page, PageViewRestriction, Revision

import pytest

from comments.models import Comment
from comments.selectors import comment_list_approved
from immunotherapy.models import ArticlePage, StandardPage, WordPressImported
from immunotherapy.reports import pages_due_for_review
from immunotherapy.signals import pages_changed
from tests.wordpress.conftest import SEED_EXPORT, SITE_EXPORT, UPLOADS

SEED_HEADINGS = [
    "Understanding Immunotherapy",
    "Immune Checkpoint Inhibitors",
    "Adoptive Cell Therapy",
    "Cancer Vaccines",
    "Combination Therapies",
    "Potential Side Effects and Management",
    "Current Research and Future Directions",
]
SEED_SLUG = "terminal-cancer-leveraging-the-immune-system-in-treatment-strategies"
MODELS = [
    Page,
    Revision,
    Comment,
    Redirect,
    Image,
    Document,
    PageViewRestriction,
    WordPressImported,
]

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.backends]


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_wordpress", *map(str, args), stdout=out, verbosity=0)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def files(root) -> set:
    return {path for path in root.rglob("*") if path.is_file()}


def seed_article() -> ArticlePage:
    return ArticlePage.objects.get(slug=SEED_SLUG)


@pytest.fixture
def seed_imported(article_index):
    run(SEED_EXPORT)
    return seed_article()


@pytest.fixture
def site_imported(article_index):
    return run(SITE_EXPORT, "--media-dir", UPLOADS)


def test_seed_article_becomes_a_live_article_with_its_sections(seed_imported):
    page = seed_imported
    assert page.live
    assert page.get_parent().slug == "articles"
    assert page.intro.startswith("Terminal cancer diagnosis often presents")
    assert [s.heading for s in page.sections()] == SEED_HEADINGS
    closing = page.body[-1]
    assert closing.block_type == "paragraph"
    assert "renewed optimism" in closing.value.source
    assert page.first_published_at.isoformat() == "2023-05-30T08:00:00+00:00"
    assert page.author == "Immunotherapy Guide editorial team"
    assert sorted(page.tags.names()) == ["CAR-T", "Treatments"]


def test_seed_article_reads_as_on_wordpress(seed_imported):
    response = Client().get(f"/articles/{SEED_SLUG}/")
    html = response.content.decode()
    assert response.status_code == 200
    for heading in SEED_HEADINGS:
        assert heading in html
    assert "<!-- wp:" not in html and "wp:heading" not in html


def test_comments_keep_their_thread_status_and_details(seed_imported):
    comments = {
        c.author_name + ":" + c.body[:12]: c for c in Comment.objects.filter(page=seed_imported)
    }
    maria, reply, maria_again = (
        comments["Maria Lopez:My father st"],
        comments["Immunotherapy Guide:Thank you fo"],
        comments["Maria Lopez:Thanks, that"],
    )
    assert reply.parent == maria and maria_again.parent == reply
    assert maria.ip_address == "203.0.113.7"
    assert maria.created_at.isoformat() == "2023-06-02T09:14:05+00:00"
    assert reply.author_url == "https://immunotherapy.example"
    statuses = sorted(c.status for c in comments.values())
    assert statuses == ["approved"] * 5 + ["pending", "spam", "trash"]
    okafor = comments["Dr. Sam Okafor:A good overv"]
    assert "<script>" not in okafor.body and "alert(1)" not in okafor.body
    assert "onclick" not in comments["Jamie:Is it true t"].body


def test_only_approved_comments_are_shown_threaded(seed_imported):
    shown = comment_list_approved(page=seed_imported)
    assert [(c.author_name, c.thread_depth) for c in shown] == [
        ("Maria Lopez", 1),
        ("Immunotherapy Guide", 2),
        ("Maria Lopez", 3),
        ("Dr. Sam Okafor", 1),
        ("Priya Natarajan", 1),
    ]
    assert seed_imported.comment_count == 5
    api = Client().get(f"/api/v2/pages/{seed_imported.pk}/").json()
    assert api["comment_count"] == 5


def test_pingbacks_are_not_reader_comments(seed_imported):
    assert not Comment.objects.filter(author_name="Cancer News Daily").exists()


def test_old_addresses_redirect_permanently(seed_imported):
    client = Client()
    for old in (f"/2023/05/30/{SEED_SLUG}/", "/?p=42"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == f"/articles/{SEED_SLUG}/"
    assert client.get("/?p=42&utm_source=newsletter")["Location"] == f"/articles/{SEED_SLUG}/"
    assert client.get("/?p=42&utm_source=newsletter")["Location"] == f"/articles/{SEED_SLUG}/"
    assert client.get("/?p=43").status_code == 200  # the home page, as before


def test_second_run_changes_nothing(seed_imported):
    before = row_counts()
    latest = seed_imported.latest_revision_id
    output = run(SEED_EXPORT)
    assert row_counts() == before
    assert seed_article().latest_revision_id == latest
    assert "posts              0        0        1        0" in output


def test_imported_article_awaits_medical_review(seed_imported):
    assert seed_imported.last_reviewed is None
    assert seed_imported.pk in pages_due_for_review().values_list("pk", flat=True)


def test_dry_run_writes_nothing(article_index, media_root):
    before, files_before = row_counts(), files(media_root)
    output = run(SITE_EXPORT, "--media-dir", UPLOADS, "--dry-run")
    assert row_counts() == before
    assert files(media_root) == files_before
    assert output.startswith("Dry run: nothing was written")
    assert "posts              6        0        1        0" in output


def test_dry_run_reports_what_the_import_then_does(article_index):
    dry = run(SITE_EXPORT, "--media-dir", UPLOADS, "--dry-run")
    real = run(SITE_EXPORT, "--media-dir", UPLOADS)
    assert dry.split("\n", 1)[1] == real.split("\n", 1)[1]


def test_status_mapping(site_imported):
    by_title = {p.title: p for p in ArticlePage.objects.all()}
    assert by_title["A draft about vaccines"].live is False
    assert by_title["Waiting for review"].live is False
    scheduled = by_title["Coming in 2030"]
    assert scheduled.live is False
    assert scheduled.latest_revision.approved_go_live_at.year == 2030
    private = by_title["Staff only"]
    assert private.get_view_restrictions().get().restriction_type == PageViewRestriction.LOGIN
    protected = by_title["Trial results for participants"]
    restriction = protected.get_view_restrictions().get()
    assert (restriction.restriction_type, restriction.password) == ("password", "s3cret")
    assert "Binned post" not in by_title


def test_nothing_non_public_becomes_public(site_imported):
    client = Client()
    listing = client.get("/api/v2/pages/?type=immunotherapy.ArticlePage&fields=title").json()
    titles = {item["title"] for item in listing["items"]}
    assert titles.isdisjoint(
        {"A draft about vaccines", "Waiting for review", "Coming in 2030", "Staff only"}
    )
    assert "Trial results for participants" not in titles
    staff = ArticlePage.objects.get(slug="staff-only")
    assert client.get(staff.url).status_code == 302  # to the login page
    trial = ArticlePage.objects.get(slug="trial-results")
    response = client.get(trial.url)
    assert "Protected text" not in response.content.decode()


def test_media_are_imported_and_missing_files_reported(site_imported):
    image = Image.objects.get(title="t-cell")
    assert image.description == "A T cell under the microscope"
    assert Document.objects.filter(title="Patient leaflet").exists()
    assert "2024/05/missing.jpg not found" in site_imported
    post = ArticlePage.objects.get(title__startswith="Immuntherapie")
    figures = [b.value for b in post.body if b.block_type == "figure"]
    assert figures[0]["image"] == image and figures[0]["caption"] == "Eine T-Zelle"
    assert figures[0]["alt_text"] == "A T cell under the microscope"
    section = next(
        b.value
        for b in post.body
        if b.block_type == "section" and b.value["heading"] == "Nebenwirkungen"
    )
    leaflet = Document.objects.get(title="Patient leaflet")
    assert f'<a linktype="document" id="{leaflet.pk}">' in section["body"].source


def test_shortcodes_and_blocks_are_converted_or_reported(site_imported):
    post = ArticlePage.objects.get(title__startswith="Immuntherapie")
    types = [b.block_type for b in post.body]
    assert {"section", "figure", "table", "quote", "embed"} <= set(types)
    raw = str(post.body.raw_data)
    assert "[caption" not in raw.replace("[caption] is how", "") and "[gallery" not in raw
    assert "[embed" not in raw and "contact-form-7" not in raw and "wp:" not in raw
    assert "[sic]" in raw  # a bracket in prose is not a shortcode
    assert "unknown shortcode [contact-form-7]: removed" in site_imported
    assert "unknown block wp:jetpack/contact-form" in site_imported
    assert "block wp:latest-posts has no saved content" in site_imported
    assert "export: 1 item(s) of type 'nav_menu_item': not imported" in site_imported


def test_non_ascii_titles_and_slugs(site_imported):
    post = ArticlePage.objects.get(title="Immuntherapie für Kinder – was Eltern wissen sollten")
    assert post.slug == "immuntherapie-für-kinder"
    assert Client().get(post.url).status_code == 200
    assert "a[b[0]]&gt; c" in str(post.body.raw_data)


def test_pages_become_standard_pages(site_imported):
    page = StandardPage.objects.get(title="Über uns")
    assert page.live and not page.comments_open
    assert Client().get(page.url).status_code == 200
    assert Client().get("/news/?page_id=401")["Location"] == page.url


def test_deep_replies_are_attached_at_the_deepest_level(site_imported, settings):
    post = ArticlePage.objects.get(title__startswith="Immuntherapie")
    six = Comment.objects.get(page=post, author_name="Level Six")
    five = Comment.objects.get(page=post, author_name="Level Five")
    assert five.depth() == settings.COMMENTS_MAX_DEPTH == 5
    assert six.depth() == 5 and six.parent == five.parent
    assert "comment 16 was nested 6 levels deep" in site_imported
    orphan = Comment.objects.get(page=post, author_name="Orphan")
    assert orphan.parent is None
    two = Comment.objects.get(page=post, author_name="Level Two")
    assert two.author_url == "" and two.ip_address is None  # javascript: URL and bad IP dropped
    assert not Comment.objects.filter(author_name="Health Blog").exists()  # a trackback


def test_a_later_export_adds_only_new_comments(seed_imported, tmp_path, seed_text):
    new_comment = seed_text.replace(
        "<wp:comment_id>109</wp:comment_id>", "<wp:comment_id>110</wp:comment_id>"
    ).replace("Wir haben ähnliche", "Noch eine Antwort. Wir haben ähnliche")
    later = tmp_path / "later.xml"
    later.write_text(
        seed_text.replace(
            "\t</item>",
            new_comment[
                new_comment.index("\t\t<wp:comment>\n\t\t\t<wp:comment_id>110") : new_comment.index(
                    "\t</item>"
                )
            ]
            + "\t</item>",
        ),
        encoding="utf-8",
    )
    before = Comment.objects.count()
    output = run(later)
    assert Comment.objects.count() == before + 1
    assert Comment.objects.filter(body__startswith="Noch eine Antwort").exists()
    assert "comments           1        0        8        0" in output


def test_changed_posts_update_unless_edited_in_wagtail(seed_imported, tmp_path, seed_text):
    changed = tmp_path / "changed.xml"
    changed.write_text(
        seed_text.replace("2023-06-01 09:12:40", "2024-01-01 00:00:00").replace(
            "Cancer Vaccines</h2>", "Cancer vaccines today</h2>"
        ),
        encoding="utf-8",
    )
    assert "posts              0        1        0        0" in run(changed)
    assert "Cancer vaccines today" in [s.heading for s in seed_article().sections()]

    page = seed_article()
    page.title = "Edited by an editor"
    page.save_revision().publish()
    changed.write_text(changed.read_text().replace("2024-01-01 00:00:00", "2024-02-02 00:00:00"))
    output = run(changed)
    assert "edited in Wagtail since the import: left as it is" in output
    assert seed_article().title == "Edited by an editor"


def test_author_map_sets_owners_and_unmapped_authors_are_reported(article_index, tmp_path):
    user = User.objects.create_user(
        "anna.s", "anna@clinic.example", "pw", first_name="Anna", last_name="Schäfer"
    )
    authors = tmp_path / "authors.csv"
    authors.write_text("wordpress_login,user\nanna,anna@clinic.example\n")
    output = run(SITE_EXPORT, "--author-map", authors)
    assert ArticlePage.objects.get(slug="staff-only").owner == user
    assert "Authors not in the author map (pages imported without an owner): guest" in output


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_comment_pages_are_announced_after_commit(article_index):
    """Each post commits on its own; then its page is announced to the caches."""
    received = []

    def listener(sender, page_ids, **kwargs):
        received.append((sender, page_ids))

    pages_changed.connect(listener)
    try:
        run(SEED_EXPORT)
    finally:
        pages_changed.disconnect(listener)
    page_id = seed_article().pk
    assert (Comment, frozenset({page_id})) in received
    assert any(page_id in page_ids for sender, page_ids in received if sender is not Comment)


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda t: t.replace("</channel>", ""), ": line 265: not well-formed XML: mismatched tag"),
        (
            lambda t: t.replace("export/1.2/", "export/1.0/").replace(">1.2<", ">1.0<"),
            "line 22: unsupported WXR version 1.0",
        ),
        (lambda t: t.replace("<wp:wxr_version>1.2</wp:wxr_version>", ""), "not a WordPress export"),
        (
            lambda t: t.replace(">42</wp:post_id>", ">²</wp:post_id>"),
            "line 117: <wp:post_id> must be a whole number, not '²'",
        ),
    ],
    ids=["malformed", "old-version", "not-wxr", "superscript-id"],
)
def test_bad_files_stop_before_writing(article_index, tmp_path, seed_text, mangle, message):
    bad = tmp_path / "bad.xml"
    bad.write_text(mangle(seed_text), encoding="utf-8")
    before = row_counts()
    with pytest.raises(CommandError) as error:
        run(bad)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert row_counts() == before


def test_bad_options_are_one_line_errors(article_index, tmp_path):
    with pytest.raises(CommandError, match="--parent /nowhere/: no such page"):
        run(SEED_EXPORT, "--parent", "/nowhere/")
    with pytest.raises(CommandError, match="cannot hold articles"):
        run(SEED_EXPORT, "--parent", "/")
    with pytest.raises(CommandError, match="no such folder"):
        run(SEED_EXPORT, "--media-dir", tmp_path / "nope")
    with pytest.raises(CommandError, match="cannot read"):
        run(tmp_path / "missing.xml")
    authors = tmp_path / "a.csv"
    authors.write_text("editorial,nobody@example.org\n")
    with pytest.raises(CommandError, match="line 1: no user 'nobody@example.org'"):
        run(SEED_EXPORT, "--author-map", authors)
    authors.write_bytes("editorial,zoë@example.org\n".encode("latin-1"))
    with pytest.raises(CommandError, match=r"a\.csv: not UTF-8 text; save it as CSV UTF-8$"):
        run(SEED_EXPORT, "--author-map", authors)
    for parent in ("²", "99999999999999999999999"):
        with pytest.raises(CommandError, match=f"--parent {parent}: no such page"):
            run(SEED_EXPORT, "--parent", parent, "--dry-run")


def test_a_failing_post_is_rolled_back_and_reported(article_index, monkeypatch):
    from immunotherapy.wordpress import comments

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("immunotherapy.wordpress.importer.import_comments", broken)
    before = row_counts()
    with pytest.raises(CommandError, match="1 item"):
        run(SEED_EXPORT)
    assert row_counts() == before
    assert comments  # the module the importer uses


def test_imported_articles_are_listed_as_never_reviewed(seed_imported, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.org", "pw"))
    page = client.get("/admin/reports/reviews-due/").content.decode()
    assert seed_imported.title in page
    assert "Never reviewed" in page


def test_the_seed_export_imports_beside_the_demo_site(demo_content):
    """From a fresh site with the demo content, as a team would try it first."""
    run(SEED_EXPORT)
    imported = seed_article()
    assert imported.live and imported.get_parent().slug == "articles"
    assert ArticlePage.objects.get(slug="terminal-cancer-immunotherapy").live  # the demo's own
    assert Client().get("/?p=42")["Location"] == imported.url
    before = row_counts()
    run(SEED_EXPORT)
    assert row_counts() == before
