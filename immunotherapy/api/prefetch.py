"""Batch loading for API reads: every chosen snippet and image of many pages in a few queries.

Wagtail converts a stream one block type at a time, so each page, and each block type in it,
costs a query per chosen model. `prefetch_pages()` instead walks the raw stream data of every
page in a listing, loads each chosen model once (images with their renditions), and converts the
streams while those objects are on hand: the query count no longer grows with pages or blocks.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.db.models.fields.related_descriptors import ReverseManyToOneDescriptor

from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from comments.models import CommentsMixin
from comments.selectors import comment_count_approved

if TYPE_CHECKING:
    # The mixin goes before Wagtail's chooser block, whose methods it uses (untyped).
    from wagtail.blocks import ChooserBlock as _ChooserBlock
else:
    _ChooserBlock = object

Loaded = dict[type[models.Model], dict[Any, models.Model]]
Found = dict[type[models.Model], set[Any]]

_loaded: ContextVar[Loaded | None] = ContextVar("immunotherapy_prefetched", default=None)


def api_pages(model: type[Page], ids: list[int]) -> QuerySet:
    """The pages `ids` of `model`, with what their API fields need loaded in the same queries."""
    queryset = model.objects.filter(pk__in=ids)
    if model is Page:
        return queryset
    queryset = queryset.select_related("locale", *getattr(model, "api_select_related", []))
    if issubclass(model, CommentsMixin):
        queryset = queryset.annotate(approved_comment_count=comment_count_approved())
    for field in getattr(model, "api_fields", []):
        relation = getattr(model, getattr(field, "name", field), None)
        child = getattr(getattr(relation, "rel", None), "related_model", None)
        if isinstance(relation, ReverseManyToOneDescriptor) and child is not None:
            foreign_keys = [f.name for f in child._meta.concrete_fields if f.many_to_one]
            queryset = queryset.prefetch_related(
                Prefetch(field.name, queryset=child.objects.select_related(*foreign_keys))
            )
    return queryset


class PrefetchedChooserMixin(_ChooserBlock):
    """For chooser blocks: take objects loaded by `prefetch_pages()` instead of querying."""

    def bulk_to_python(self, values: Iterable[Any]) -> list[Any]:
        values = list(values)
        loaded = _loaded.get()
        objects = loaded.get(self.model_class) if loaded is not None else None
        if objects is None or any(v is not None and v not in objects for v in values):
            return super().bulk_to_python(values)
        return [objects.get(v) for v in values]


def _chooses(block: blocks.Block) -> bool:
    """Whether `block` has a prefetching chooser anywhere inside it (remembered per block)."""
    known = block.__dict__.get("_prefetch_chooses")
    if known is None:
        if isinstance(block, blocks.ChooserBlock):
            known = isinstance(block, PrefetchedChooserMixin)
        elif isinstance(block, blocks.ListBlock):
            known = _chooses(block.child_block)
        else:
            children = getattr(block, "child_blocks", {})
            known = any(_chooses(child) for child in children.values())
        block.__dict__["_prefetch_chooses"] = known
    return known


def _chosen_ids(block: blocks.Block, raw: Any, found: Found) -> None:
    """Collect, per model, the ids chosen anywhere inside `raw` (a raw value of `block`)."""
    if raw is None or not _chooses(block):
        return
    if isinstance(block, blocks.ChooserBlock):
        if isinstance(block, PrefetchedChooserMixin) and not isinstance(raw, dict | list):
            found[block.model_class].add(raw)
    elif isinstance(block, blocks.StreamBlock):
        for item in raw if isinstance(raw, list) else []:
            child = block.child_blocks.get(item.get("type")) if isinstance(item, dict) else None
            if child is not None:
                _chosen_ids(child, item.get("value"), found)
    elif isinstance(block, blocks.StructBlock):
        if isinstance(raw, dict):
            for name, child in block.child_blocks.items():
                _chosen_ids(child, raw.get(name), found)
    elif isinstance(block, blocks.ListBlock):
        for item in raw if isinstance(raw, list) else []:
            in_block_format = isinstance(item, dict) and item.get("type") == "item"
            _chosen_ids(block.child_block, item["value"] if in_block_format else item, found)


def _load(found: Found) -> Loaded:
    loaded: Loaded = {}
    for model, ids in found.items():
        queryset = model._default_manager.all()
        if issubclass(model, AbstractImage):
            # Wagtail's ImageQuerySet, which has no type information.
            queryset = queryset.prefetch_renditions()  # type: ignore[attr-defined]
        loaded[model] = queryset.in_bulk(list(ids))
    return loaded


@contextmanager
def _using(loaded: Loaded) -> Iterator[None]:
    token = _loaded.set(loaded)
    try:
        yield
    finally:
        _loaded.reset(token)


def prefetch_pages(pages: Sequence[models.Model]) -> None:
    """Load the streams and image foreign keys of `pages` (specific pages) in a few queries."""
    found: Found = defaultdict(set)
    streams: list[blocks.StreamValue] = []
    image_fields: list[tuple[models.Model, models.ForeignKey]] = []
    for page in pages:
        deferred = page.get_deferred_fields()
        for field in page._meta.concrete_fields:
            if field.attname in deferred:
                continue
            if isinstance(field, StreamField):
                stream = getattr(page, field.name)
                streams.append(stream)
                _chosen_ids(field.stream_block, list(stream.raw_data), found)
            elif (
                isinstance(field, models.ForeignKey)
                and issubclass(_related_model(field), AbstractImage)
                and not field.is_cached(page)
            ):
                image_fields.append((page, field))
                image_id = field.value_from_object(page)
                if image_id is not None:
                    found[_related_model(field)].add(image_id)
    loaded = _load(found)
    for page, field in image_fields:
        image = loaded.get(_related_model(field), {}).get(field.value_from_object(page))
        field.set_cached_value(page, image)
    with _using(loaded):
        for stream in streams:
            # Convert each block now, while the chosen objects are on hand. The stream keeps its
            # raw data, which the reading grade and search read without converting it back.
            for _block in stream:
                pass


def _related_model(field: models.ForeignKey) -> type[models.Model]:
    # A model class once the apps are loaded; django-stubs also allows the unresolved "self".
    return cast(type[models.Model], field.related_model)
