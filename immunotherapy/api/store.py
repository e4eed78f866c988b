"""The page JSON store: each live page's API v2 JSON, built once when it changes, read by the API.

A page is serialised by Wagtail's own serializers once, at its fullest (every field, relations
with every sub-field), and kept in `StoredPage`. A read turns the `fields` parameter into a
`Shape` with Wagtail's own rules (`PagesAPIViewSet._get_serializer_class`, so an unknown field is
the same 400) and writes the stored JSON text of the fields that shape names: no serializer runs.

What varies per request is applied on reading: the API's base URL in `detail_url` (the site's
root URL when `WAGTAILAPI_BASE_URL` is unset), the detail view's `parent` (public for this
reader or not), the comment count (its own column, so moderation touches one number) and
`comments_open` (closes with time, COMMENTS_CLOSE_AFTER_DAYS). `html_url` does not: Wagtail
builds it from the Site records alone (`Page.full_url`), and a Site change rebuilds its pages.
"""

import functools
import itertools
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import timezone

from wagtail.api.utils import get_base_url
from wagtail.api.v2.utils import BadRequestError, parse_fields_parameter
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.models import Page, PageViewRestriction

from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder as DRFJSONEncoder

from comments.selectors import comment_list_approved
from immunotherapy.api.http_cache import cached_until_content_changes
from immunotherapy.api.models import StoredPage
from immunotherapy.api.prefetch import api_pages, prefetch_pages
from immunotherapy.api.router import api_router

logger = logging.getLogger(__name__)

FieldsConfig = list[tuple[str, bool, Any]]
NESTING_DEPTH = 3  # relations of relations of relations: deeper `fields=` forms are refused
# Fields filled in on reading rather than kept in the stored JSON (see the module docstring).
READ_TIME_FIELDS = ("parent", "comment_count", "comments_open")


class PageJSON:
    """One page's API representation, as UTF-8 JSON text."""

    __slots__ = ("text",)

    def __init__(self, text: bytes) -> None:
        self.text = text


_ITEMS = "\x00items\x00"  # stands for the listing's items while the envelope is rendered


class PageJSONRenderer(JSONRenderer):
    """DRF's JSON renderer; a detail that is a `PageJSON`, or listing items that are, go in as
    they are."""

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, PageJSON):
            return data.text
        items = data.get("items") if isinstance(data, dict) else None
        if not items or not all(isinstance(item, PageJSON) for item in items):
            return super().render(data, accepted_media_type, renderer_context)
        envelope = {**data, "items": [_ITEMS]}
        text = super().render(envelope, accepted_media_type, renderer_context)
        return text.replace(JSONRenderer().render(_ITEMS), b",".join(i.text for i in items), 1)


def pack(fragments: dict[str, str]) -> str:
    """Field name -> JSON text, as one string: an index of offsets, a newline, the texts."""
    index, offset = {}, 0
    for name, text in fragments.items():
        index[name] = [offset, offset + len(text)]
        offset += len(text)
    return json.dumps(index, separators=(",", ":")) + "\n" + "".join(fragments.values())


def pack_items(items: list[Any]) -> str:
    """A list of JSON values, as one string: their end offsets, a newline, their texts."""
    texts = [_dumps(item) for item in items]
    ends = list(itertools.accumulate(len(text) for text in texts))
    return json.dumps(ends, separators=(",", ":")) + "\n" + "".join(texts)


def unpack_items(packed: str, start: int = 0, stop: int | None = None) -> tuple[int, list[str]]:
    """How many items `pack_items` packed, and the JSON texts of items `start` to `stop`."""
    header, _, body = packed.partition("\n")
    ends = json.loads(header)
    starts = [0, *ends]
    return len(ends), [body[starts[n] : ends[n]] for n in range(len(ends))[start:stop]]


def unpack(packed: str) -> dict[str, str]:
    header, _, body = packed.partition("\n")
    return {name: body[start:end] for name, (start, end) in json.loads(header).items()}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), cls=_Encoder)


class _Encoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        return DRFJSONEncoder().default(o)


@dataclass(frozen=True)
class Shape:
    """Which fields a serializer shows, in Wagtail's order, and the shapes of its relations."""

    body: tuple[str, ...]
    meta: tuple[str, ...]
    # relation name -> (its shape, whether the request named its sub-fields)
    children: dict[str, tuple["Shape", bool]] = field(default_factory=dict)

    @classmethod
    def of(cls, serializer_class: type[Any], sub_fields: dict[str, Any] | None = None) -> "Shape":
        names = list(serializer_class.Meta.fields)
        meta_names = set(serializer_class.meta_fields)
        declared = serializer_class._declared_fields
        children = {
            name: (cls.of(child), bool((sub_fields or {}).get(name)))
            for name, child in serializer_class.child_serializer_classes.items()
            # A field the serializer declares itself (locale, alias_of, an APIField with its own
            # serializer) ignores sub-fields, as Wagtail does.
            if name in names and name not in declared
        }
        return cls(
            body=tuple(n for n in names if n not in meta_names),
            meta=tuple(n for n in names if n in meta_names),
            children=children,
        )

    @property
    def names_sub_fields(self) -> bool:
        """Whether the request named sub-fields of a relation (read from the fullest JSON)."""
        return any(named for _, named in self.children.values())

    def project(self, value: Any) -> Any:
        """The part of a relation's fullest JSON value this shape shows."""
        if isinstance(value, list):
            return [self.project(item) for item in value]
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        if "id" in self.body and "id" in value:
            out["id"] = value["id"]
        meta = {k: v for k, v in value.get("meta", {}).items() if k in self.meta}
        if meta:
            out["meta"] = meta
        for name in self.body:
            if name != "id" and name in value:
                child = self.children.get(name)
                out[name] = child[0].project(value[name]) if child else value[name]
        return out


def _sub_fields(fields_config: FieldsConfig) -> dict[str, Any]:
    return {name: sub for name, negated, sub in fields_config if not negated and sub}


@functools.lru_cache(maxsize=512)
def request_shape(
    view_class: type[Any], model: type[Page], fields: str | None, detail: bool
) -> Shape:
    """The shape of `?fields=` for `model`, validated as Wagtail validates it (a 400 otherwise)."""
    if fields is None:
        config: FieldsConfig = []
    else:
        try:
            config = parse_fields_parameter(fields)
        except ValueError as e:
            raise BadRequestError(f"fields error: {e}") from e
    serializer_class = view_class._get_serializer_class(
        api_router, model, config, show_details=detail
    )
    return Shape.of(serializer_class, _sub_fields(config))


def _fullest_config(view_class: type[Any], model: type[Any], depth: int) -> FieldsConfig:
    """`*` with every relation at its fullest, down to `depth` levels."""
    config: FieldsConfig = [("*", False, None)]
    if depth == 0:
        return config
    all_fields = [
        *view_class.get_body_fields_names(model),
        *view_class.get_meta_fields_names(model),
    ]
    serializer = view_class.base_serializer_class
    for name in dict.fromkeys(all_fields):
        if name in serializer._declared_fields:
            continue
        try:
            django_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if django_field.is_relation:
            child_model = django_field.related_model
            endpoint = api_router.get_model_endpoint(child_model)
            child_view = endpoint[1] if endpoint else BaseAPIViewSet
            config.append((name, False, _fullest_config(child_view, child_model, depth - 1)))
    return config


def _pages_view() -> type[Any]:
    """The pages endpoint's view class (found through the router, which registers it)."""
    _name, view_class = api_router.get_model_endpoint(Page)
    return view_class


@functools.cache
def _build_serializers(model: type[Page]) -> tuple[type[Any], Shape, Shape]:
    """The serializer of `model` at its fullest, and the shapes of its default and fullest form."""
    view_class = _pages_view()
    fullest_config = _fullest_config(view_class, model, NESTING_DEPTH)
    fullest = view_class._get_serializer_class(api_router, model, fullest_config, show_details=True)
    default = view_class._get_serializer_class(
        api_router, model, [("*", False, None)], show_details=True
    )
    return fullest, Shape.of(default), Shape.of(fullest, _sub_fields(fullest_config))


class _BuildView:
    """What Wagtail's serializers read from the view while building (the types they saw)."""

    def __init__(self) -> None:
        self.seen_types: dict[str, type] = {}


def _build_request() -> HttpRequest:
    request = RequestFactory().get("/api/v2/pages/")
    request.wagtailapi_router = api_router  # type: ignore[attr-defined]  # Wagtail's own
    return request


def build(pages: Iterable[Page]) -> list[StoredPage]:
    """The stored JSON of each of `pages` (specific pages), serialised by Wagtail."""
    pages = list(pages)
    prefetch_pages(pages)
    request = _build_request()
    base_url = get_base_url(request) or ""
    context = {
        "request": request,
        "view": _BuildView(),
        "router": api_router,
        "base_queryset": Page.objects.none(),  # `parent` is filled in on reading
    }
    rows = []
    for page in pages:
        # mypy reads a class's `__hash__` as its instances' (python/mypy#11470): classes hash.
        serializer_class, default_shape, fullest_shape = _build_serializers(type(page))  # type: ignore[arg-type]
        full = serializer_class(context=context).to_representation(page)
        fragments: dict[str, str] = {}
        nested: dict[str, Any] = {}
        for name, value in [*full.get("meta", {}).items(), *full.items()]:
            if name in ("meta", *READ_TIME_FIELDS):
                continue
            child = default_shape.children.get(name)
            fragments[name] = _dumps(child[0].project(value) if child else value)
            if name in fullest_shape.children:
                nested[name] = value
        comments = public_comments(page) if hasattr(page, "comments_are_open") else None
        rows.append(
            StoredPage(
                page_id=page.pk,
                fields=pack(fragments),
                nested=nested,
                base_url=base_url,
                comments_open=page.comments_open if comments is not None else None,
                comment_count=len(comments) if comments is not None else None,
                comments=pack_items(comments) if comments is not None else None,
            )
        )
    return rows


def _load(model: type[Page], ids: list[int]) -> list[Page]:
    return list(api_pages(model, ids))


def rebuild(page_ids: Iterable[int]) -> set[int]:
    """Build and store the JSON of the live pages among `page_ids`; drop the others' rows.
    Returns the ids whose rows were built."""
    page_ids = set(page_ids)
    if not page_ids:
        return set()
    by_model: dict[type[Page], list[int]] = {}
    for page in Page.objects.filter(pk__in=page_ids, live=True).only("id", "content_type"):
        model = page.specific_class
        if model is not None:
            by_model.setdefault(model, []).append(page.pk)
    rows = []
    for model, ids in by_model.items():
        rows += build(_load(model, ids))
    built = {row.page_id for row in rows}
    with transaction.atomic():
        StoredPage.objects.filter(page_id__in=page_ids - built).delete()
        StoredPage.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["page"],
            update_fields=[
                "fields",
                "nested",
                "base_url",
                "comments_open",
                "comment_count",
                "comments",
            ],
        )
    return built


def public_comments(page: Page) -> list[dict[str, Any]]:
    """The approved comments of `page` in thread order, as the comments API shows them."""
    return [c.api_representation() for c in comment_list_approved(page=page)]


def refresh_comments(page_ids: Iterable[int]) -> None:
    """Store the approved comments and their count of each page (nothing else is rebuilt)."""
    for row in StoredPage.objects.filter(page_id__in=list(page_ids), comments__isnull=False).only(
        "page_id"
    ):
        comments = public_comments(Page(pk=row.page_id))
        StoredPage.objects.filter(page_id=row.page_id).update(
            comments=pack_items(comments), comment_count=len(comments)
        )


def stored_comments(page_id: int) -> str | None:
    """The stored approved comments of a live page, packed (built if missing); None if it has
    none."""
    column = StoredPage.objects.filter(page_id=page_id).values_list("comments", flat=True)
    rows = list(column)
    if not rows:
        rebuild([page_id])
        rows = list(column.all())
    return rows[0] if rows else None


def view_restrictions() -> list[PageViewRestriction]:
    """Every page view restriction, with its page and groups, read once per content generation
    (saving or deleting one starts a new generation)."""
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    return cached_until_content_changes("api-view-restrictions", lambda: list(restrictions))


def stored_public_comments(page_id: int) -> str | None:
    """The stored approved comments of a live page without a view restriction, packed, read with
    the page's path and checked against the restrictions in one query; None when the page is
    not stored, not live or restricted (the caller then asks the page tree)."""
    stored, page = StoredPage._meta, Page._meta
    quote = connection.ops.quote_name
    sql = (
        f"SELECT s.{quote(stored.get_field('comments').column)}, p.{quote('path')}, "  # noqa: S608
        f"p.{quote('live')} FROM {quote(stored.db_table)} s INNER JOIN {quote(page.db_table)} p "
        f"ON p.{quote(page.pk.column)} = s.{quote(stored.pk.column)} "
        f"WHERE s.{quote(stored.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [page_id])
        row = cursor.fetchone()
    if row is None or not row[2]:
        return None
    path = row[1]
    if any(path.startswith(restriction.page.path) for restriction in view_restrictions()):
        return None
    return row[0] or pack_items([])


# What a read needs of a stored row, and of its page to decide whether this reader may see it.
ROW_COLUMNS = ("page_id", "fields", "base_url", "comments_open", "comment_count", "nested")
PAGE_COLUMNS = ("path", "live", "content_type_id")


class StoredRow(NamedTuple):
    """A stored row and its page's visibility columns, as `_select_sql` selects them."""

    page_id: int
    fields: str
    base_url: str
    comments_open: bool
    comment_count: int
    nested: Any  # the fullest relations, when they were read
    page__path: str
    page__live: bool
    page__content_type_id: int
    page__expired: bool


def _columns(model: type[models.Model]) -> dict[str, str]:
    """Each concrete field's column, by field name and attribute name (`page`, `page_id`)."""
    fields = model._meta.concrete_fields
    return {key: field.column for field in fields for key in (field.name, field.attname)}


@functools.cache
def _select_sql(where_column: str, many: bool, nested: bool) -> str:
    quote = connection.ops.quote_name
    stored, page = _columns(StoredPage), _columns(Page)
    expire_at, page_id = quote(page["expire_at"]), quote(stored["page"])
    columns = [
        *(f"s.{quote(stored[name])}" for name in ROW_COLUMNS[:-1]),
        f"s.{quote(stored['nested'])}" if nested else "NULL",
        *(f"p.{quote(page[name])}" for name in PAGE_COLUMNS),
        # Whether the page has expired, so that no value needs converting in Python.
        f"p.{expire_at} IS NOT NULL AND p.{expire_at} <= %s",
    ]
    column = f"s.{page_id}" if where_column == "page_id" else f"p.{quote(where_column)}"
    condition = column + (" IN ({})" if many else " = %s")
    return (
        f"SELECT {', '.join(columns)} FROM {quote(StoredPage._meta.db_table)} s "  # noqa: S608
        f"INNER JOIN {quote(Page._meta.db_table)} p ON p.{quote(page['id'])} = s.{page_id} "
        f"WHERE {condition}"
    )


def stored_rows(
    *, page_ids: list[int] | None = None, path: str | None = None, nested: bool = False
) -> list[StoredRow]:
    """The stored rows of `page_ids` (or of the page at `path`), with their page's visibility
    columns. The fullest relations (`nested`) are read only when asked for.

    Plain SQL: this runs on every uncached API read, where building the joined query with the
    ORM cost more than the query itself."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params: list[Any]
    if path is not None:
        sql, params = _select_sql("path", False, nested), [now, path]
    else:
        ids = [int(pk) for pk in page_ids or []]
        if not ids:
            return []
        sql = _select_sql("page_id", True, nested).format(", ".join(["%s"] * len(ids)))
        params = [now, *ids]
    field = StoredPage._meta.get_field("nested")
    assert isinstance(field, models.JSONField)  # noqa: S101  (for mypy: the model's field)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        StoredRow._make(
            (
                *row[:5],
                # django-stubs wants an expression where Django itself passes None.
                field.from_db_value(row[5], None, connection) if nested else None,  # type: ignore[arg-type]
                *row[6:],
            )
        )
        for row in rows
    ]


def stored(page_ids: list[int], nested: bool = False) -> dict[int, Any]:
    """The stored rows of `page_ids`, building (once) any live page's row that is missing.
    The fullest relations (`nested`) are read only for `fields=` forms naming sub-fields."""
    rows = {row.page_id: row for row in stored_rows(page_ids=page_ids, nested=nested)}
    missing = [pk for pk in page_ids if pk not in rows]
    if missing:
        # Only in the moment between a change's commit and the rebuild it triggers (rows of
        # changed pages are dropped in the change's own transaction), after a failed rebuild, or
        # for pages written around Wagtail (bulk inserts): building here keeps every answer
        # fresh, where serving an older row would not.
        logger.info("building API JSON of %d page(s) on reading", len(missing))
        rebuild(missing)
        rows.update((row.page_id, row) for row in stored_rows(page_ids=missing, nested=nested))
    return rows


def _comments_open(row: Any, fragments: dict[str, str]) -> bool:
    if not row.comments_open:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    published = json.loads(fragments.get("first_published_at", "null"))
    if days and published:
        return timezone.now() < datetime.fromisoformat(published) + timedelta(days=days)
    return True


def render(
    row: Any, shape: Shape, request: HttpRequest, parent: str | None = None, base_url: str = ""
) -> bytes:
    """The JSON text of a stored page as a request of `shape` shows it (`base_url`: the
    request's `get_base_url`, when the caller has it)."""
    fragments = unpack(row.fields)
    parts = []
    if "id" in shape.body:
        parts.append(f'"id":{fragments["id"]}')
    meta = [
        f'"{name}":{parent or "null"}' if name == "parent" else f'"{name}":{fragments[name]}'
        for name in shape.meta
        if name in fragments or name == "parent"
    ]
    if meta:
        parts.append('"meta":{' + ",".join(meta) + "}")
    for name in shape.body:
        if name == "id":
            continue
        child = shape.children.get(name)
        if name == "comment_count":
            text = str(row.comment_count)
        elif name == "comments_open":
            text = "true" if _comments_open(row, fragments) else "false"
        elif child is not None and child[1] and name in row.nested:
            text = _dumps(child[0].project(row.nested[name]))
        elif name in fragments:
            text = fragments[name]
        else:
            continue
        parts.append(f'"{name}":{text}')
    data = ("{" + ",".join(parts) + "}").encode()
    base_url = base_url or get_base_url(request) or ""
    if base_url != row.base_url:
        data = data.replace(f'"{row.base_url}/api/'.encode(), f'"{base_url}/api/'.encode())
    return data


PARENT_SHAPE = Shape(body=("id", "title"), meta=("type", "detail_url", "html_url"))
