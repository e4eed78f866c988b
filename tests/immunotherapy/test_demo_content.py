"""`load_demo_content` builds the site around the seed article, idempotently and safely."""

import json
import re
from io import StringIO

from django.core.management import CommandError, call_command

from wagtail.models import Page, PageLogEntry, Revision, Site

import pytest

from home.demo import DEFAULT_DATA_FILE
from home.models import HomePage
from immunotherapy.models import ArticleIndexPage, ArticlePage
from tests.helpers import copy_sqlite, run_manage

SEED_HEADINGS = [
    "Understanding Immunotherapy",
    "Immune Checkpoint Inhibitors",
    "Adoptive Cell Therapy",
    "Cancer Vaccines",
    "Combination Therapies",
    "Potential Side Effects and Management",
    "Current Research and Future Directions",
]
SEED_TITLE = "Terminal Cancer: Leveraging the Immune System in Treatment Strategies"

pytestmark = [pytest.mark.django_db, pytest.mark.backends]


def seed_article() -> ArticlePage:
    return ArticlePage.objects.get(slug="terminal-cancer-immunotherapy")


def test_builds_home_index_and_published_seed_article(demo_content) -> None:
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    index = ArticleIndexPage.objects.child_of(home).get()
    article = seed_article()
    assert article.get_parent().pk == index.pk
    assert article.live
    assert not article.has_unpublished_changes
    assert article.title == SEED_TITLE
    assert article.intro.startswith("Terminal cancer diagnosis often presents")


def test_seed_article_has_seven_sections_and_a_closing_paragraph(demo_content) -> None:
    body = list(seed_article().body)
    sections = [block for block in body if block.block_type == "section"]
    assert [block.value["heading"] for block in sections] == SEED_HEADINGS
    assert "Adoptive cell therapy involves modifying" in sections[2].value["body"].source
    assert body[-1].block_type == "paragraph"
    assert "renewed optimism" in body[-1].value.source
    # The comment form notice is not article text.
    assert "Leave a Reply" not in json.dumps(list(seed_article().body.raw_data))


def test_wagtails_welcome_page_is_replaced(demo_content) -> None:
    assert not Page.objects.filter(
        content_type__app_label="wagtailcore", content_type__model="page", depth=2
    ).exists()


def test_running_twice_changes_nothing(demo_content) -> None:
    before = (
        Page.objects.count(),
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        list(Page.objects.values_list("pk", "latest_revision_id", "last_published_at")),
    )
    call_command("load_demo_content", stdout=StringIO())
    after = (
        Page.objects.count(),
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        list(Page.objects.values_list("pk", "latest_revision_id", "last_published_at")),
    )
    assert after == before


def test_editor_changes_survive_a_reload(demo_content) -> None:
    article = seed_article()
    article.title = "Edited by the health-information team"
    article.save_revision().publish()
    call_command("load_demo_content", stdout=StringIO())
    assert seed_article().title == "Edited by the health-information team"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"home": {"title": "Home"},', "is not valid JSON (line 1"),
        ("[]", "file must be an object"),
        ('{"home": {"title": "Home"}}', "file.article_index is missing"),
        (
            json.dumps(
                {
                    "home": {"title": "Home"},
                    "article_index": {"title": "Articles", "slug": "articles"},
                    "articles": [{"slug": "a", "title": "A", "intro": "x", "sections": [{}]}],
                }
            ),
            "articles[0].sections[0].heading is missing",
        ),
    ],
)
def test_broken_data_file_is_refused_and_writes_nothing(
    root_page, tmp_data_file, text: str, message: str
) -> None:
    pages_before = Page.objects.count()
    with pytest.raises(CommandError, match=message.replace("[", r"\[").replace("(", r"\(")):
        call_command("load_demo_content", data=tmp_data_file(text))
    assert Page.objects.count() == pages_before
    assert not HomePage.objects.exists()


def test_missing_data_file_is_refused(db, tmp_path) -> None:
    with pytest.raises(CommandError, match="demo data file not found"):
        call_command("load_demo_content", data=tmp_path / "absent.json")


def test_broken_file_exits_non_zero_with_one_readable_line(migrated_sqlite, tmp_path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json", encoding="utf-8")
    env = {
        **copy_sqlite(migrated_sqlite, tmp_path / "db.sqlite3"),
        "DJANGO_SETTINGS_MODULE": "site_config.settings.dev",
    }
    result = run_manage("load_demo_content", "--data", str(broken), env=env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "is not valid JSON" in lines[0]
    assert "Traceback" not in result.stderr


def test_shipped_data_file_lives_in_the_repository() -> None:
    assert DEFAULT_DATA_FILE.is_file()
    assert "shared" not in DEFAULT_DATA_FILE.parts


THERAPY_URLS = {
    "checkpoint-inhibitors": "/therapies/immune-checkpoint-inhibitors/",
    "adoptive-cell-therapy": "/therapies/adoptive-cell-therapy/",
    "cancer-vaccines": "/therapies/cancer-vaccines/",
    "combination-therapies": "/therapies/combination-therapies/",
}
DEMO_AGENTS = [
    "pembrolizumab", "nivolumab", "ipilimumab", "atezolizumab", "durvalumab", "cemiplimab",
    "relatlimab", "tisagenlecleucel", "axicabtagene ciloleucel", "idecabtagene vicleucel",
    "sipuleucel-T", "talimogene laherparepvec",
]  # fmt: skip


def test_one_live_page_per_built_in_type_with_hero_image(client, demo_content) -> None:
    from immunotherapy.registry import registry

    for slug, url in THERAPY_URLS.items():
        page = registry.get(slug).page_model.objects.get()
        assert page.live and page.url == url
        assert page.hero_image is not None and page.hero_image_alt
        assert page.hero_image.get_rendition("fill-480x240").width == 480
        types = [block.block_type for block in page.body]
        assert "side_effects" in types and "care_card" in types and "evidence" in types
        response = client.get(url)
        assert response.status_code == 200
        assert 'property="og:image"' in response.content.decode()


def test_snippets_are_loaded_and_valid(demo_content) -> None:
    from immunotherapy.models import Agent, GlossaryTerm, Reference

    assert sorted(Agent.objects.values_list("generic_name", flat=True)) == sorted(DEMO_AGENTS)
    assert Agent.objects.get(generic_name="relatlimab").target == "LAG-3"
    assert Agent.objects.get(generic_name="idecabtagene vicleucel").target == "BCMA"
    assert Reference.objects.count() == 14
    for snippet in [*Agent.objects.all(), *Reference.objects.all(), *GlossaryTerm.objects.all()]:
        snippet.full_clean()


def test_reload_does_not_duplicate_snippets_or_images(demo_content) -> None:
    from wagtail.images.models import Image

    from immunotherapy.models import Agent, Reference

    before = (Image.objects.count(), Agent.objects.count(), Reference.objects.count())
    call_command("load_demo_content", stdout=StringIO())
    assert (Image.objects.count(), Agent.objects.count(), Reference.objects.count()) == before
    assert before[0] == 4


def test_seed_article_links_the_four_therapy_types(client, demo_content) -> None:
    article = seed_article()
    assert [link.therapy_page.url for link in article.related_therapies.all()] == list(
        THERAPY_URLS.values()
    )
    html = client.get(article.url).content.decode()
    # Last in "On this page", after the references, and leading to the links.
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)[-2:] == [
        ("references", "References"),
        ("related-therapies", "Related therapy types"),
    ]
    related = re.search(r'<aside class="related" id="related-therapies".*?</aside>', html, re.S)
    assert "Related therapy types</h2>" in related.group(0)
    assert related.group(0).count("<li>") == 4


def test_related_therapy_types_leave_out_pages_readers_cannot_open(client, demo_content) -> None:
    article = seed_article()
    for link in article.related_therapies.all():
        link.therapy_page.unpublish()
    html = client.get(article.url).content.decode()
    assert "Related therapy types" not in html  # neither an empty list nor its contents line


def with_built_in_pages() -> dict:
    """The core demo data plus the built-in plugins' pages and snippets, in one file's shape."""
    from home.demo import plugin_demo_files

    data = json.loads(DEFAULT_DATA_FILE.read_text(encoding="utf-8"))
    for slug, path in plugin_demo_files():
        plugin = json.loads(path.read_text(encoding="utf-8"))
        for section in ("agents", "references"):
            data.setdefault(section, []).extend(plugin.get(section, []))
        for therapy in plugin["therapies"]:
            therapy["type"] = slug
            therapy.pop("hero_image", None)
            data.setdefault("therapies", []).append(therapy)
    return data


def test_every_built_in_page_comes_from_its_plugins_demo_file() -> None:
    from home.demo import plugin_demo_files

    assert [slug for slug, _path in plugin_demo_files()] == list(THERAPY_URLS)
    core = json.loads(DEFAULT_DATA_FILE.read_text(encoding="utf-8"))
    assert not {"therapies", "agents", "references"} & set(core)


def test_therapy_body_that_fails_its_blocks_is_refused_and_writes_nothing(
    root_page, tmp_data_file
) -> None:
    data = with_built_in_pages()
    data["therapies"][0]["body"] = [
        block for block in data["therapies"][0]["body"] if block["type"] != "side_effects"
    ]
    data["therapies"][1]["body"].append(
        {"type": "clinical_trial", "value": {"nct_id": "NCT1", "name": "Bad", "summary": ""}}
    )
    pages_before = Page.objects.count()
    with pytest.raises(CommandError, match=r"therapies\[0\] is not valid: body: .*side effects"):
        call_command("load_demo_content", data=tmp_data_file(json.dumps(data)))
    assert Page.objects.count() == pages_before
    from immunotherapy.models import Agent

    assert not Agent.objects.exists()


def test_unknown_snippet_in_a_body_is_named(root_page, tmp_data_file) -> None:
    data = with_built_in_pages()
    data["therapies"][2]["body"].append(
        {"type": "agent_table", "value": {"heading": "x", "agents": ["no-such-drug"]}}
    )
    with pytest.raises(CommandError, match="therapies.2..body: no Agent with generic_name"):
        call_command("load_demo_content", data=tmp_data_file(json.dumps(data)))


# Committed as `make run` commits (no test transaction): each change is rebuilt at once.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_site_option_points_page_urls_at_the_served_address(client, root_page) -> None:
    call_command("load_demo_content", site="127.0.0.1:8123", stdout=StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    listing = client.get("/api/v2/pages/?fields=html_url&limit=50").json()
    urls = {item["meta"]["html_url"] for item in listing["items"]}
    assert "http://127.0.0.1:8123/articles/terminal-cancer-immunotherapy/" in urls
    assert "http://127.0.0.1:8123/" in urls  # the home page, stored before the site moved
    assert all(url.startswith("http://127.0.0.1:8123/") for url in urls), urls


@pytest.mark.parametrize(
    "site", ["127.0.0.1", "localhost:http", ":8000", "localhost:70000", "localhost:²"]
)
def test_bad_site_option_is_refused_before_anything_is_written(root_page, site: str) -> None:
    pages_before = Page.objects.count()
    with pytest.raises(CommandError, match="--site must be HOST:PORT"):
        call_command("load_demo_content", site=site, stdout=StringIO())
    assert Page.objects.count() == pages_before
    assert (Site.objects.get().hostname, Site.objects.get().port) == ("localhost", 80)


def test_seed_article_shows_its_review_line_and_references(client, demo_content) -> None:
    html = client.get(seed_article().url).content.decode()
    assert re.search(r"Medically reviewed by Dr Amara Okafor[^<]* on <time", html)
    assert "Next review due" in html
    references = re.search(r'<section class="references".*?</section>', html, re.S).group(0)
    assert references.count("<li") == 4
    assert "Robert C, et al. Pembrolizumab versus ipilimumab" in references
    assert '<a href="#references">References</a>' in html  # in "On this page"


@pytest.mark.parametrize(
    ("slug", "title"),
    [
        ("about", "About this guide"),
        ("editorial-policy", "Editorial policy"),
        ("contact", "Contact us"),
    ],
)
def test_about_policy_and_contact_pages_are_linked_from_every_footer(
    client, demo_content, slug, title
) -> None:
    page = client.get(f"/{slug}/")
    assert page.status_code == 200
    assert f"<h1>{title}</h1>" in page.content.decode()
    assert 'id="comments"' not in page.content.decode()
    for path in ("/", seed_article().url, "/search/?q=vaccine", f"/{slug}/"):
        footer = client.get(path).content.decode().split('<footer class="site-footer">')[1]
        assert f'<a href="/{slug}/">{title}</a>' in footer, path


def test_a_new_page_under_home_reaches_footers_already_cached(
    client, demo_content, django_capture_on_commit_callbacks
) -> None:
    from immunotherapy.models import StandardPage

    article_url = seed_article().url
    client.get(article_url)
    assert client.get(article_url)["X-Cache"] == "HIT"
    home = Page.objects.get(url_path="/home/")
    page = StandardPage(title="Accessibility", slug="accessibility")
    with django_capture_on_commit_callbacks(execute=True):  # the publish commits
        home.add_child(instance=page)
        page.save_revision().publish()
    footer = client.get(article_url).content.decode().split('<footer class="site-footer">')[1]
    assert '<a href="/accessibility/">Accessibility</a>' in footer


def test_favicon_is_served(client, db) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")
    assert response["Location"] != "/favicon.ico"
