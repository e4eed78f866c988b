"""Loads the demo site (page tree, seed article, snippets, therapy pages and their hero images)
from the JSON file beside this module.

Everything is validated before anything is written, and the whole load runs in
one transaction, so a broken file leaves the database as it was. Pages that
already exist (matched by slug under their parent) are left untouched, which
makes the load idempotent and never overwrites an editor's changes; snippets are
matched by their natural key (generic name, term, DOI) and images by title, in
the same spirit. Therapy page bodies name snippets by those keys, and every body
is checked with its blocks' own validation before it is saved.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction

from wagtail.blocks import StreamBlockValidationError
from wagtail.models import Page, Site

DEFAULT_DATA_FILE = Path(__file__).resolve().parent / "demo_content.json"
IMAGES_DIR = Path(__file__).resolve().parent / "images"


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
    _validate_optional(data, path)


def _validate_optional(data: dict[str, Any], path: Path) -> None:
    """The snippet and therapy sections are optional; when present they must be well formed."""
    keys = {
        "agents": ("generic_name", "target", "drug_class"),
        "glossary": ("term", "definition"),
        "references": ("title", "authors", "journal", "doi"),
        "therapies": ("type", "slug", "title", "summary"),
    }
    for section, required in keys.items():
        items = data.get(section, [])
        if not isinstance(items, list):
            raise DemoDataError(f"demo data file {path}: file.{section} must be a list")
        for n, item in enumerate(items):
            for key in required:
                _require(item, key, str, f"{section}[{n}]", path)
    for n, therapy in enumerate(data.get("therapies", [])):
        where = f"therapies[{n}]"
        _require(therapy, "body", list, where, path)
        hero = therapy.get("hero_image")
        if hero is not None:
            _require(hero, "file", str, f"{where}.hero_image", path)
            _require(hero, "alt", str, f"{where}.hero_image", path)
            if not (IMAGES_DIR / hero["file"]).is_file():
                raise DemoDataError(
                    f"demo data file {path}: {where}.hero_image.file {hero['file']!r} not found"
                )
    if data.get("therapies"):
        index = _require(data, "therapy_index", dict, "file", path)
        _require(index, "title", str, "therapy_index", path)
        _require(index, "slug", str, "therapy_index", path)


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


def _ensure_index(
    parent: Page, data: dict[str, Any], model: type[Page], report: LoadReport
) -> Page:
    """The index page `data` describes under `parent`, created as a `model` if missing."""
    return _get_or_create_child(
        parent,
        data["slug"],
        lambda: model(title=data["title"], intro=data.get("intro", ""), show_in_menus=True),
        report,
    )


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


def _load_snippets(data: dict[str, Any]) -> None:
    from immunotherapy.models import Agent, GlossaryTerm, Reference

    for model, section, key in (
        (Agent, "agents", "generic_name"),
        (GlossaryTerm, "glossary", "term"),
        (Reference, "references", "doi"),
    ):
        for n, fields in enumerate(data.get(section, [])):
            if model.objects.filter(**{key: fields[key]}).exists():
                continue
            instance = model(**fields)
            try:
                instance.full_clean()
            except ValidationError as exc:
                raise DemoDataError(f"{section}[{n}] ({fields[key]}): {_one_line(exc)}") from None
            instance.save()


def _one_line(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def _hero_image(hero: dict[str, str] | None) -> Any:
    from wagtail.images import get_image_model

    if not hero:
        return None
    image_model = get_image_model()
    title = hero.get("title") or Path(hero["file"]).stem.replace("-", " ").capitalize()
    image = image_model.objects.filter(title=title).first()
    if image is None:
        with (IMAGES_DIR / hero["file"]).open("rb") as handle:
            image = image_model(title=title, file=ImageFile(handle, name=hero["file"]))
            image.save()
    return image


def resolve_snippet_keys(block: Any, value: Any) -> Any:
    """Replace snippet natural keys (agent name, DOI, term) in raw block data with their ids."""
    from wagtail import blocks as wagtail_blocks

    from immunotherapy.blocks import ExpandedSnippetChooserBlock
    from immunotherapy.models import Agent, GlossaryTerm, Reference

    if isinstance(block, ExpandedSnippetChooserBlock):
        if value in (None, "") or isinstance(value, int):
            return value
        key = {Agent: "generic_name", Reference: "doi", GlossaryTerm: "term"}[block.target_model]
        found = block.target_model.objects.filter(**{key: value}).values_list("pk", flat=True)
        if not found:
            raise DemoDataError(f"no {block.target_model.__name__} with {key} {value!r}")
        return found[0]
    if isinstance(block, wagtail_blocks.BaseStreamBlock):
        out = []
        for child in value:
            if child.get("type") not in block.child_blocks:
                raise DemoDataError(f"unknown block type {child.get('type')!r}")
            child_block = block.child_blocks[child["type"]]
            out.append({**child, "value": resolve_snippet_keys(child_block, child.get("value"))})
        return out
    if isinstance(block, wagtail_blocks.ListBlock):
        return [resolve_snippet_keys(block.child_block, item) for item in value or []]
    if isinstance(block, wagtail_blocks.BaseStructBlock):
        return {
            name: resolve_snippet_keys(child, (value or {}).get(name))
            for name, child in block.child_blocks.items()
            if name in (value or {})
        }
    return value


def _therapy_body(model: type[Page], raw: list[dict[str, Any]], where: str) -> list[dict]:
    from immunotherapy.api import flatten_block_errors

    stream_block = model._meta.get_field("body").stream_block
    try:
        resolved = resolve_snippet_keys(stream_block, raw)
    except DemoDataError as exc:
        raise DemoDataError(f"{where}.body: {exc}") from None
    try:
        stream_block.clean(stream_block.to_python(resolved))
    except StreamBlockValidationError as exc:
        problems = flatten_block_errors(exc.as_json_data(), ["body"])
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in problems)
        raise DemoDataError(f"{where} is not valid: {detail}") from None
    return resolved


def _therapy_page(model: type[Page], therapy: dict[str, Any], where: str) -> Page:
    """A new therapy page from its demo data; its body is resolved and validated here, so
    only for pages not there yet."""
    body = _therapy_body(model, therapy["body"], where)
    hero = therapy.get("hero_image")
    reviewed = therapy.get("last_reviewed")
    due = therapy.get("next_review_due")
    return model(
        title=therapy["title"],
        summary=therapy["summary"],
        search_description=therapy.get("search_description", ""),
        hero_image=_hero_image(hero),
        hero_image_alt=hero["alt"] if hero else "",
        last_reviewed=date.fromisoformat(reviewed) if reviewed else None,
        next_review_due=date.fromisoformat(due) if due else None,
        body=body,
    )


def _load_therapies(home: Page, data: dict[str, Any], report: LoadReport) -> None:
    from immunotherapy.models import TherapyIndexPage
    from immunotherapy.registry import registry

    if not data.get("therapies"):
        return
    index = _ensure_index(home, data["therapy_index"], TherapyIndexPage, report)
    for n, therapy in enumerate(data["therapies"]):
        where = f"therapies[{n}]"
        therapy_type = registry.get(therapy["type"])
        if therapy_type is None:
            # A disabled plugin's demo page is skipped, not an error: the site works without it.
            continue
        _get_or_create_child(
            index,
            therapy["slug"],
            lambda therapy=therapy, model=therapy_type.page_model, where=where: _therapy_page(
                model, therapy, where
            ),
            report,
        )


def _related_therapies(article: dict[str, Any]) -> list[Any]:
    from immunotherapy.models import ArticleRelatedTherapy
    from immunotherapy.registry import registry

    pages = registry.live_pages()
    return [
        ArticleRelatedTherapy(therapy_page=page, sort_order=order)
        for order, slug in enumerate(article.get("related_therapies") or [])
        if (page := pages.filter(slug=slug).first()) is not None
    ]


@transaction.atomic
def load_demo_content(path: Path = DEFAULT_DATA_FILE) -> LoadReport:
    """Create the demo page tree and articles that are not there yet."""
    from immunotherapy.models import ArticleIndexPage, ArticlePage

    data = read_demo_data(path)
    report = LoadReport()
    _load_snippets(data)
    home = _ensure_home(data["home"], report)
    _load_therapies(home, data, report)
    index = _ensure_index(home, data["article_index"], ArticleIndexPage, report)
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
                related_therapies=_related_therapies(article),
            ),
            report,
        )
    return report
