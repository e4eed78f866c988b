"""Read-only queries for the therapy listings (home, therapy index), flat in the site's size."""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest

from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Page

from immunotherapy.registry import registry

CARD_IMAGE_FILTER = "fill-480x240"


def therapy_pages_in_type_order(*, parent: Page, private: Q | None = None) -> QuerySet:
    """Live, public therapy pages under `parent`, by registered type then tree order (generic)."""
    models = registry.page_models()
    if not models:
        return Page.objects.none()
    content_types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    type_order = Case(
        *(When(content_type=content_types[model], then=Value(n)) for n, model in enumerate(models)),
        output_field=IntegerField(),
    )
    return (
        Page.objects.live()
        .exclude(Page.objects.private_q() if private is None else private)
        .type(*models)
        .child_of(parent)
        .annotate(type_order=type_order)
        .order_by("type_order", "path")
    )


class CountingPaginator(Paginator):
    """Django's paginator reading the total from the page's own rows: one query per page.

    `Paginator.get_page()` counts the whole queryset, then reads the page; here the page's
    query also carries `COUNT(*) OVER ()` (evaluated before LIMIT), so the total comes with
    the rows. Only a page number past the end costs a count, to find the last page.
    """

    object_list: QuerySet  # rows are annotated: a queryset, not any sequence

    def get_page(self, number: Any) -> DjangoPage:
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        counted = self.object_list.annotate(_total_rows=Window(Count("pk")))
        rows = list(counted[(number - 1) * self.per_page : number * self.per_page])
        if rows:
            self.__dict__["count"] = rows[0]._total_rows  # Paginator.count is a cached_property
        elif number > 1:  # past the end: the last page, as Django's get_page() gives
            return super().get_page(self.num_pages)
        # Django's hook for building a Page, missing from django-stubs.
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]


def therapy_pages_featured(*, root: Page, private: Q | None = None) -> list[Page]:
    """The first live, public page of each registered type under `root`, as cards, in tree order.

    One query however many pages and types exist: each type's rows numbered by path, the first
    kept (a window function), then the cards' summaries and images (`therapy_cards_load`).
    """
    models = registry.page_models()
    if not models:
        return []
    if private is None:
        private = Page.objects.private_q()
    first_of_type = Window(RowNumber(), partition_by=F("content_type"), order_by=F("path").asc())
    pages = (
        Page.objects.live()
        .exclude(private)
        .type(*models)
        .descendant_of(root)
        .annotate(nth_of_type=first_of_type)
        .filter(nth_of_type=1)
        .order_by("path")
    )
    return therapy_cards_load(pages)


def therapy_cards_load(pages: Iterable[Page]) -> list[Page]:
    """`pages` (generic) with what a card shows, in three queries however many types there are.

    One UNION over the therapy types' tables brings each page's summary and hero image id, so
    the pages need not be loaded as their specific types (a query per type, bodies included);
    each gets `summary`, `hero_image_id`, `therapy_type` and `card_image`.
    """
    pages = list(pages)
    ids = [page.pk for page in pages]
    per_type = [
        model.objects.filter(pk__in=ids).order_by().values_list("pk", "summary", "hero_image_id")
        for model in registry.page_models()
    ]
    if not per_type:
        return pages
    union = per_type[0].union(*per_type[1:], all=True)
    rows = {pk: (summary, image_id) for pk, summary, image_id in union}
    for page in pages:
        page.summary, page.hero_image_id = rows.get(page.pk, ("", None))
        page.therapy_type = registry.for_model(page.specific_class)
    return card_images_attach(pages)


def card_images_attach(pages: list[Page]) -> list[Page]:
    """Give each page `card_image`, its hero image's card rendition: one query in all.

    The renditions are read with their images in one query rather than through
    `{% image %}`, whose `get_rendition()` also writes each rendition to the cache (with the
    database cache, queries per card). A rendition not made yet is made here, once.
    """
    image_ids = {page.hero_image_id for page in pages if getattr(page, "hero_image_id", None)}
    if not image_ids:
        return pages
    spec = Filter(CARD_IMAGE_FILTER)
    found = (
        get_image_model()
        .get_rendition_model()
        .objects.filter(image_id__in=image_ids, filter_spec=CARD_IMAGE_FILTER)
        .select_related("image")
    )
    # As `find_existing_rendition()`: the rendition made for the image's current focal point.
    renditions = {r.image_id: r for r in found if r.focal_point_key == spec.get_cache_key(r.image)}
    missing = image_ids - set(renditions)
    for image in get_image_model().objects.filter(pk__in=missing) if missing else []:
        renditions[image.pk] = image.get_rendition(CARD_IMAGE_FILTER)
    for page in pages:
        page.card_image = renditions.get(getattr(page, "hero_image_id", None))
    return pages


def private_pages_q(request: HttpRequest | None) -> Q:
    """Wagtail's `private_q()` (the pages under a view restriction), read once per request."""
    if request is None:
        return Page.objects.private_q()
    private: Q | None = getattr(request, "_private_pages_q", None)
    if private is None:
        private = Page.objects.private_q()
        request._private_pages_q = private  # type: ignore[attr-defined]  # a per-request cache
    return private
