"""Loads the demo site (page tree and seed article) from the JSON file beside this module.

Everything is validated before anything is written, and the whole load runs in
one transaction, so a broken file leaves the database as it was. Pages that
already exist (matched by slug under their parent) are left untouched, which
makes the load idempotent and never overwrites an editor's changes.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from wagtail.models import Page, Site

DEFAULT_DATA_FILE = Path(__file__).resolve().parent / "demo_content.json"


class DemoDataError(Exception):
    """The demo data file cannot be read or does not have the expected shape."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def read_demo_data(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DemoDataError(f"demo data file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DemoDataError(f"cannot read demo data file {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise DemoDataError(
            f"demo data file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}): "
            f"{exc.msg}"
        ) from None
    _validate(data, path)
    return data


def _require(mapping: Any, key: str, kind: type, where: str, path: Path) -> Any:
    if not isinstance(mapping, dict):
        raise DemoDataError(f"demo data file {path}: {where} must be an object")
    value = mapping.get(key)
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise DemoDataError(
            f"demo data file {path}: {where}.{key} is missing or not a {kind.__name__}"
        )
    return value


def _validate(data: Any, path: Path) -> None:
    home = _require(data, "home", dict, "file", path)
    _require(home, "title", str, "home", path)
    index = _require(data, "article_index", dict, "file", path)
    _require(index, "title", str, "article_index", path)
    _require(index, "slug", str, "article_index", path)
    articles = _require(data, "articles", list, "file", path)
    for n, article in enumerate(articles):
        where = f"articles[{n}]"
        for key in ("slug", "title", "intro"):
            _require(article, key, str, where, path)
        sections = _require(article, "sections", list, where, path)
        for m, section in enumerate(sections):
            _require(section, "heading", str, f"{where}.sections[{m}]", path)
            _require(section, "body", str, f"{where}.sections[{m}]", path)
        published = article.get("publication_date")
        if published is not None:
            try:
                date.fromisoformat(published)
            except (TypeError, ValueError):
                raise DemoDataError(
                    f"demo data file {path}: {where}.publication_date must be YYYY-MM-DD"
                ) from None


def _get_or_create_child(
    parent: Page, slug: str, build: Callable[[], Page], report: LoadReport
) -> Page:
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        report.existing.append(existing.url_path)
        return existing.specific
    page = build()
    page.slug = slug
    parent.add_child(instance=page)
    page.save_revision().publish()
    report.created.append(page.url_path)
    return page


def _ensure_home(data: dict[str, Any], report: LoadReport) -> Page:
    from home.models import HomePage

    home = HomePage.objects.first()
    if home is not None:
        report.existing.append(home.url_path)
    else:
        root = Page.get_first_root_node()
        # Wagtail's first migration leaves a plain "Welcome" page at /home/; ours replaces it.
        for placeholder in root.get_children().filter(
            content_type__app_label="wagtailcore", content_type__model="page", numchild=0
        ):
            placeholder.delete()
        home = _get_or_create_child(
            root,
            "home",
            lambda: HomePage(
                title=data["title"],
                hero_heading=data.get("hero_heading", ""),
                hero_text=data.get("hero_text", ""),
            ),
            report,
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=""
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home


def _article_body(article: dict[str, Any]) -> list[dict[str, Any]]:
    body = [
        {"type": "section", "value": {"heading": s["heading"], "anchor": "", "body": s["body"]}}
        for s in article["sections"]
    ]
    if article.get("closing"):
        body.append({"type": "paragraph", "value": article["closing"]})
    return body


@transaction.atomic
def load_demo_content(path: Path = DEFAULT_DATA_FILE) -> LoadReport:
    """Create the demo page tree and articles that are not there yet."""
    from immunotherapy.models import ArticleIndexPage, ArticlePage

    data = read_demo_data(path)
    report = LoadReport()
    home = _ensure_home(data["home"], report)
    index_data = data["article_index"]
    index = _get_or_create_child(
        home,
        index_data["slug"],
        lambda: ArticleIndexPage(
            title=index_data["title"], intro=index_data.get("intro", ""), show_in_menus=True
        ),
        report,
    )
    for article in data["articles"]:
        published = article.get("publication_date")
        _get_or_create_child(
            index,
            article["slug"],
            lambda article=article, published=published: ArticlePage(
                title=article["title"],
                intro=article["intro"],
                author=article.get("author", ""),
                publication_date=date.fromisoformat(published) if published else None,
                search_description=article.get("search_description", ""),
                body=_article_body(article),
            ),
            report,
        )
    return report
