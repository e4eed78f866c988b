"""Loads the demo site: the page tree and seed article from the JSON file beside this module,
then each registered therapy plugin's own demo file (its pages, hero images and snippets).

A plugin ships `demo/demo_content.json` (the path its `TherapyPluginConfig.demo_content`
names) with optional `agents`, `glossary`, `references` and `therapies` lists, and the hero
images in `demo/images/` beside it. The built-in plugins use exactly this hook.

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

from wagtail import blocks as wagtail_blocks
from wagtail.blocks import StreamBlockValidationError
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from home.models import HomePage
from immunotherapy.api.v3_errors import flatten_block_errors
from immunotherapy.blocks import ExpandedSnippetChooserBlock
from immunotherapy.models import (
    Agent,
    ArticleIndexPage,
    ArticlePage,
    ArticleRelatedTherapy,
    GlossaryTerm,
    MedicalReviewer,
    Reference,
    StandardPage,
    TherapyIndexPage,
)
from immunotherapy.registry import registry

DEFAULT_DATA_FILE = Path(__file__).resolve().parent / "demo_content.json"


class DemoDataError(Exception):
    """The demo data file cannot be read or does not have the expected shape."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def read_demo_data(path: Path, *, plugin_slug: str | None = None) -> dict[str, Any]:
    """The demo data in `path`: the core file, or (with `plugin_slug`) a plugin's own file,
    whose therapy pages are all of that plugin's type."""
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
    if plugin_slug is None:
        _validate(data, path)
    else:
        if not isinstance(data, dict):
            raise DemoDataError(f"demo data file {path}: file must be an object")
        for therapy in data.get("therapies") or []:
            if isinstance(therapy, dict):
                therapy.setdefault("type", plugin_slug)
        _validate_optional(data, path)
    return data


def _require(mapping: Any, key: str, kind: type, where: str, path: Path) -> Any:
    if not isinstance(mapping, dict):
        raise DemoDataError(f"demo data file {path}: {where} must be an object")
    value = mapping.get(key)
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
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
        for key in ("publication_date", "last_reviewed", "next_review_due"):
            _optional_date(article, key, where, path)
        evidence = article.get("evidence")
        if evidence is not None:
            _require(evidence, "heading", str, f"{where}.evidence", path)
            _require(evidence, "summary", str, f"{where}.evidence", path)
            _require(evidence, "references", list, f"{where}.evidence", path)
    for n, page in enumerate(data.get("pages") or []):
        for key in ("slug", "title"):
            _require(page, key, str, f"pages[{n}]", path)
        for m, section in enumerate(_require(page, "sections", list, f"pages[{n}]", path)):
            _require(section, "heading", str, f"pages[{n}].sections[{m}]", path)
            _require(section, "body", str, f"pages[{n}].sections[{m}]", path)
    _validate_optional(data, path)


def _optional_date(mapping: dict[str, Any], key: str, where: str, path: Path) -> None:
    value = mapping.get(key)
    if value is not None:
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            raise DemoDataError(
                f"demo data file {path}: {where}.{key} must be YYYY-MM-DD"
            ) from None


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
    reviewer = data.get("medical_reviewer")
    if reviewer is not None:
        for key in ("name", "credentials"):
            _require(reviewer, key, str, "medical_reviewer", path)
    for n, therapy in enumerate(data.get("therapies", [])):
        where = f"therapies[{n}]"
        _require(therapy, "body", list, where, path)
        hero = therapy.get("hero_image")
        if hero is not None:
            _require(hero, "file", str, f"{where}.hero_image", path)
            _require(hero, "alt", str, f"{where}.hero_image", path)
            if not (_images_dir(path) / hero["file"]).is_file():
                raise DemoDataError(
                    f"demo data file {path}: {where}.hero_image.file {hero['file']!r} not found"
                )
        fields = therapy.get("fields", {})
        if not isinstance(fields, dict):
            raise DemoDataError(f"demo data file {path}: {where}.fields must be an object")


def _images_dir(data_file: Path) -> Path:
    """Hero images live in `images/` beside the data file."""
    return Path(data_file).resolve().parent / "images"


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


def _sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"type": "section", "value": {"heading": s["heading"], "anchor": "", "body": s["body"]}}
        for s in data["sections"]
    ]


def _article_body(article: dict[str, Any]) -> list[dict[str, Any]]:
    """The sections, the research behind them (references found by DOI) and the closing."""
    body = _sections(article)
    evidence = article.get("evidence")
    if evidence:
        # References come from the plugins' demo files: a disabled plugin's are left out.
        found = dict(
            Reference.objects.filter(doi__in=evidence["references"]).values_list("doi", "pk")
        )
        cited = [found[doi] for doi in evidence["references"] if doi in found]
        if cited:
            value = {"heading": evidence["heading"], "summary": evidence["summary"]}
            body.append({"type": "evidence", "value": {**value, "references": cited}})
    if article.get("closing"):
        body.append({"type": "paragraph", "value": article["closing"]})
    return body


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _load_pages(home: Page, data: dict[str, Any], report: LoadReport) -> None:
    """About, editorial policy, contact: plain pages under the home page, linked from the
    footer, without a comment form."""
    for page in data.get("pages") or []:

        def build(page: dict[str, Any] = page) -> Page:
            return StandardPage(
                title=page["title"],
                intro=page.get("intro", ""),
                search_description=page.get("search_description", ""),
                body=_sections(page),
                comments_open=False,
            )

        _get_or_create_child(home, page["slug"], build, report)


def _load_snippets(data: dict[str, Any], path: Path) -> None:

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
                raise DemoDataError(
                    f"demo data file {path}: {section}[{n}] ({fields[key]}): {_one_line(exc)}"
                ) from None
            instance.save()


def _one_line(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def _hero_image(hero: dict[str, str] | None, images_dir: Path) -> Any:

    if not hero:
        return None
    image_model = get_image_model()
    title = hero.get("title") or Path(hero["file"]).stem.replace("-", " ").capitalize()
    image = image_model.objects.filter(title=title).first()
    if image is None:
        with (images_dir / hero["file"]).open("rb") as handle:
            image = image_model(title=title, file=ImageFile(handle, name=hero["file"]))
            image.save()
    return image


def resolve_snippet_keys(block: Any, value: Any) -> Any:
    """Replace snippet natural keys (agent name, DOI, term) in raw block data with their ids."""

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


def _demo_reviewer(data: dict[str, Any]) -> Any:
    """The demo's medical reviewer (named on every clinical page), matched by name."""
    fields = data.get("medical_reviewer")
    if fields is None:
        return None
    reviewer, _ = MedicalReviewer.objects.get_or_create(name=fields["name"], defaults=fields)
    return reviewer


def _therapy_page(
    model: type[Page], therapy: dict[str, Any], where: str, images_dir: Path, reviewer: Any
) -> Page:
    """A new therapy page from its demo data; its body is resolved and validated here, so
    only for pages not there yet. `fields` sets the plugin's own page fields."""
    body = _therapy_body(model, therapy["body"], where)
    hero = therapy.get("hero_image")
    reviewed = therapy.get("last_reviewed")
    due = therapy.get("next_review_due")
    return model(
        title=therapy["title"],
        summary=therapy["summary"],
        search_description=therapy.get("search_description", ""),
        hero_image=_hero_image(hero, images_dir),
        hero_image_alt=hero["alt"] if hero else "",
        last_reviewed=date.fromisoformat(reviewed) if reviewed else None,
        next_review_due=date.fromisoformat(due) if due else None,
        medical_reviewer=reviewer,
        body=body,
        **therapy.get("fields", {}),
    )


def plugin_demo_files() -> list[tuple[str, Path]]:
    """(slug, demo data file) of every registered therapy type that ships one."""

    return [(t.slug, t.demo_content) for t in registry if t.demo_content is not None]


def demo_therapies() -> list[dict[str, Any]]:
    """Every registered plugin's demo therapy pages (with their `type`), in registry order."""
    return [
        therapy
        for slug, path in plugin_demo_files()
        for therapy in read_demo_data(path, plugin_slug=slug).get("therapies", [])
    ]


def _load_therapies(
    home: Page,
    data: dict[str, Any],
    sources: list[tuple[Path, dict[str, Any]]],
    report: LoadReport,
    reviewer: Any,
) -> None:

    therapies = [(path, n, t) for path, d in sources for n, t in enumerate(d.get("therapies", []))]
    if not therapies:
        return
    index_data = _require(data, "therapy_index", dict, "file", sources[0][0])
    index = _ensure_index(home, index_data, TherapyIndexPage, report)
    for path, n, therapy in therapies:
        where = f"{path}: therapies[{n}]"
        therapy_type = registry.get(therapy["type"])
        if therapy_type is None:
            # A disabled plugin's demo page is skipped, not an error: the site works without it.
            continue
        # register() has resolved it to the model class (TherapyType allows a name, or None).
        page_model: type[Page] = therapy_type.page_model  # type: ignore[assignment]

        def build(
            therapy: dict[str, Any] = therapy,
            model: type[Page] = page_model,
            where: str = where,
            path: Path = path,
        ) -> Page:
            return _therapy_page(model, therapy, where, _images_dir(path), reviewer)

        _get_or_create_child(index, therapy["slug"], build, report)


def _related_therapies(article: dict[str, Any]) -> list[Any]:

    pages = registry.live_pages()
    return [
        ArticleRelatedTherapy(therapy_page=page, sort_order=order)
        for order, slug in enumerate(article.get("related_therapies") or [])
        if (page := pages.filter(slug=slug).first()) is not None
    ]


@transaction.atomic
def load_demo_content(path: Path = DEFAULT_DATA_FILE) -> LoadReport:
    """Create the demo page tree and articles that are not there yet."""

    data = read_demo_data(path)
    sources = [
        (Path(path), data),
        *((file, read_demo_data(file, plugin_slug=slug)) for slug, file in plugin_demo_files()),
    ]
    report = LoadReport()
    for source_path, source in sources:
        _load_snippets(source, source_path)
    home = _ensure_home(data["home"], report)
    reviewer = _demo_reviewer(data)
    _load_therapies(home, data, sources, report, reviewer)
    index = _ensure_index(home, data["article_index"], ArticleIndexPage, report)
    for article in data["articles"]:

        def build(article: dict[str, Any] = article) -> Page:
            return ArticlePage(
                title=article["title"],
                intro=article["intro"],
                author=article.get("author", ""),
                publication_date=_date(article.get("publication_date")),
                last_reviewed=_date(article.get("last_reviewed")),
                next_review_due=_date(article.get("next_review_due")),
                search_description=article.get("search_description", ""),
                body=_article_body(article),
                # A modelcluster child relation, which django-stubs takes for an unknown field.
                related_therapies=_related_therapies(article),  # type: ignore[misc]
                medical_reviewer=reviewer,
            )

        _get_or_create_child(index, article["slug"], build, report)
    _load_pages(home, data, report)
    return report
