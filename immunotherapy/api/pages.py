"""API v2 pages: live, public pages, answered from the page JSON store (store.py).

Wagtail internals this endpoint overrides (read from Wagtail 8.0.1): `PagesAPIViewSet`'s
`get_base_queryset`, `get_queryset`, `listing_view`, `detail_view`, `get_object`,
`get_renderer_context` and its serializer's `parent` field (`PageParentField`).
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property

from wagtail.api.rich_text import APIRichText
from wagtail.api.utils import get_base_url
from wagtail.api.v2.serializers import PageParentField, PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.models import Page, PageQuerySet, Site

from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from immunotherapy.api import store
from immunotherapy.api.http_cache import cached_until_content_changes
from immunotherapy.api.prefetch import api_pages, prefetch_pages
from immunotherapy.api.store import PageJSON, PageJSONRenderer, view_restrictions
from immunotherapy.orphans import orphaned_content_type_ids
from immunotherapy.registry import registry


class PublicParentField(PageParentField):
    """The parent page, if public, in one query (Wagtail's own field makes two)."""

    def get_attribute(self, instance: Page) -> Page | None:
        if instance.depth <= 1:
            return None
        parent_path = instance.path[: -Page.steplen]
        return self.context["base_queryset"].filter(path=parent_path).first()


class PublicPageSerializer(PageSerializer):
    parent = PublicParentField(read_only=True)


class CountedPages:
    """Listed page ids whose number is already known: Wagtail's `WagtailPagination` asks only
    `count()` and a slice."""

    def __init__(self, ids: QuerySet, count: int) -> None:
        self.ids, self._count = ids, count

    def count(self) -> int:
        return self._count

    def __getitem__(self, item: slice) -> QuerySet:
        return self.ids[item]


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Live, public pages only: drafts, expired, view-restricted and disabled-plugin pages never
    appear. `?therapy_type=<slug>` lists the pages of one registered therapy type."""

    base_serializer_class = PublicPageSerializer
    renderer_classes = [PageJSONRenderer, BrowsableAPIRenderer]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["therapy_type"])

    # Wagtail asks for both querysets several times per request (the listing, the filters, the
    # serializer class, the parent field): each is built once.
    def get_base_queryset(self) -> PageQuerySet:
        return self._base_pages

    @cached_property
    def _base_pages(self) -> PageQuerySet:
        return self._public_pages()

    def get_queryset(self) -> QuerySet:
        return self._listed_pages

    @cached_property
    def _listed_pages(self) -> QuerySet:
        slug = self.request.GET.get("therapy_type")
        if slug is None:
            queryset = super().get_queryset()
        else:
            if "type" in self.request.GET:
                raise BadRequestError("use either type or therapy_type, not both")
            therapy_type = registry.get(slug)
            if therapy_type is None:
                known = ", ".join(sorted(t.slug for t in registry))
                raise BadRequestError(f"therapy_type {slug!r} does not exist (known: {known})")
            # `registry.register` resolved the model class of every registered type.
            queryset = self._public_pages(cast("type[Page]", therapy_type.page_model))
        return queryset

    def _public_pages(self, model: type[Page] = Page) -> PageQuerySet:
        # Wagtail's public pages (live; not view-restricted for this request; under the site's
        # root), with the restrictions and the site read once per content generation, not
        # queried on every request; and only pages of installed types that have not expired.
        pages = model.objects.live().exclude(content_type_id__in=orphaned_content_type_ids())
        for restriction in view_restrictions():
            if not restriction.accept_request(self.request):
                pages = pages.not_descendant_of(restriction.page, inclusive=True)
        # Live pages past their expiry time, until `publish_scheduled` unpublishes them. Search
        # can only filter on indexed fields such as id, so a search leaves them out by id.
        now = timezone.now()
        if "search" in self.request.GET:
            expired = Page.objects.live().filter(expire_at__lte=now).values_list("id", flat=True)
            pages = pages.exclude(id__in=list(expired))
        else:
            pages = pages.exclude(expire_at__lte=now)
        site = self._site()
        if site is None:
            return pages.none()
        public = pages.descendant_of(site.root_page, inclusive=True)
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            for translation in site.root_page.get_translations():
                public |= pages.descendant_of(translation, inclusive=True)
        return public

    def _count(self, queryset: QuerySet) -> int:
        """How many pages the listing holds, counted once per content version for each set of
        filters, host and view restrictions the reader fails; and again once a listed page's
        `expire_at` has passed, which takes it out of the listing with no content change."""
        query = sorted(
            (name, value)
            for name, value in self.request.GET.items()
            if name not in ("offset", "limit", "fields", "order")
        )
        failed = sorted(
            restriction.pk
            for restriction in view_restrictions()
            if not restriction.accept_request(self.request)
        )
        host, path = self.request.get_host(), self.request.path
        key = f"api-count:{host}{path}:{queryset.model._meta.label}:{query}:{failed}"

        def count() -> tuple[int, datetime | None]:
            # The listing leaves out pages already expired: the earliest `expire_at` left is
            # the next time the count changes by itself.
            found = queryset.aggregate(count=Count("pk"), next_expiry=Min("expire_at"))
            return found["count"], found["next_expiry"]

        def is_fresh(kept: tuple[int, datetime | None]) -> bool:
            return kept[1] is None or timezone.now() < kept[1]

        return cached_until_content_changes(key, count, is_fresh)[0]

    def _site(self) -> Site | None:
        """The site of `?site=hostname[:port]`, else of the request's host (cached)."""
        request = self.request._request
        if self.request.GET.get("site"):
            try:
                return SiteFilterValidator(site=request.GET["site"], request=request).site_obj
            except ValueError as exc:
                raise BadRequestError(str(exc)) from None
        host = f"{request._get_raw_host()}:{request.get_port()}"
        site = cached_until_content_changes(
            f"api-site:{host}", lambda: Site.find_for_request(request)
        )
        request._wagtail_site = site  # Wagtail's later lookups for this request need no query
        return site

    def get_renderer_context(self) -> dict[str, Any]:
        # Compact JSON: Wagtail indents by 4, which keeps Python's fast C encoder out of use
        # and makes a listing's JSON render several times slower.
        context = super().get_renderer_context()
        context["indent"] = None
        return context

    def listing_view(self, request: HttpRequest) -> Response:
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        model = queryset.model
        shape = self._shape(model, detail=False)
        listed: Any = self.filter_queryset(queryset)
        if isinstance(listed, QuerySet):  # not search results: ids, as pages are loaded later
            listed = CountedPages(listed.values_list("pk", flat=True), self._count(listed))
        ids = [getattr(item, "pk", item) for item in self.paginate_queryset(listed)]
        if shape is None:
            return self.get_paginated_response(self._serialized(api_pages(model, ids)))
        rows = store.stored(ids, nested=shape.names_sub_fields)
        base_url = get_base_url(request) or ""
        items = [
            PageJSON(store.render(rows[pk], shape, request, base_url=base_url))
            for pk in ids
            if pk in rows
        ]
        return self.get_paginated_response(items)

    def detail_view(self, request: HttpRequest, pk: Any) -> Response:
        if set(request.GET) <= {"fields"}:  # the plain read: the page and its parent, two queries
            response = self._stored_detail(int(pk))
            if response is not None:
                return response
        page = self.public_page
        model = page.specific_class or type(page)
        shape = self._shape(model, detail=True)
        row = store.stored([page.pk], shape.names_sub_fields).get(page.pk) if shape else None
        if shape is None or row is None:  # another rich text format, or unpublished meanwhile
            return Response(self._serialized([self.get_object()])[0])
        parent = self._parent_json(page.path) if "parent" in shape.meta else None
        return Response(PageJSON(store.render(row, shape, request, parent=parent)))

    def _stored_detail(self, pk: int) -> Response | None:
        """The page's stored JSON, read with its page's visibility columns and checked here
        against what `_public_pages` filters on; None leaves every other case (not stored, not
        public: a 404, sub-fields named, another rich text format) to the queryset path."""
        rows = store.stored_rows(page_ids=[pk])
        if not rows or not self._is_public(rows[0]):
            return None
        row = rows[0]
        model = ContentType.objects.get_for_id(row.page__content_type_id).model_class()
        shape = self._shape(model, detail=True) if model is not None else None
        if shape is None or shape.names_sub_fields:
            return None
        parent = self._parent_json(row.page__path) if "parent" in shape.meta else None
        return Response(PageJSON(store.render(row, shape, self.request, parent=parent)))

    def _is_public(self, row: Any) -> bool:
        """Whether `_public_pages()` holds the page of a stored row, decided without a query."""
        path = row.page__path
        if not row.page__live or row.page__content_type_id in orphaned_content_type_ids():
            return False
        if row.page__expired:
            return False
        if not path.startswith(self._root_paths()):
            return False
        return not any(
            path.startswith(restriction.page.path)
            for restriction in view_restrictions()
            if not restriction.accept_request(self.request)
        )

    def _root_paths(self) -> tuple[str, ...]:
        """The tree paths of the site's root page and its translations (cached)."""
        site = self._site()
        if site is None:
            return ()

        def read() -> tuple[str, ...]:
            paths = [site.root_page.path]
            if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
                paths += [page.path for page in site.root_page.get_translations()]
            return tuple(paths)

        return cached_until_content_changes(f"api-root-paths:{site.pk}", read)

    def _shape(self, model: type[Page], detail: bool) -> store.Shape | None:
        """What `?fields=` shows (a 400 if Wagtail would refuse it); None when the request asks
        for a rich text format other than the site's, which the stored JSON is not in."""
        requested = self.resolve_rich_text_format()
        if requested != APIRichText.resolve_format(None):
            return None
        fields = self.request.GET.get("fields")
        # mypy reads a class's `__hash__` as its instances' (python/mypy#11470): classes hash.
        return store.request_shape(type(self), model, fields, detail)  # type: ignore[arg-type]

    def _serialized(self, pages: Iterable[Page]) -> list[PageJSON]:
        """Pages serialised by Wagtail on this request (only for another rich text format)."""
        pages = list(pages)
        prefetch_pages(pages)
        serializer = self.get_serializer_class()(context=self.get_serializer_context())
        return [PageJSON(JSONRenderer().render(serializer.to_representation(p))) for p in pages]

    def _parent_json(self, path: str) -> str | None:
        """The parent of the page at `path`, as Wagtail's `parent` field shows it, if it is
        public for this reader."""
        parent_path = path[: -Page.steplen]
        if not parent_path.startswith(self._root_paths()):
            return None
        rows = store.stored_rows(path=parent_path)
        if not rows:  # not live, or live and not stored yet
            live = Page.objects.filter(path=parent_path, live=True).values_list("pk", flat=True)
            rows = list(store.stored(list(live)).values())
        if not rows or not self._is_public(rows[0]):
            return None
        return store.render(rows[0], store.PARENT_SHAPE, self.request).decode()

    @cached_property
    def public_page(self) -> Page:
        """The requested page if it is live, public and of an installed type, as a plain Page."""
        return GenericAPIView.get_object(self)

    def get_object(self) -> Page:
        """The specific page, with what its API fields need (Wagtail picks the serializer by it)."""
        if not hasattr(self, "_cached_object"):
            page = self.public_page
            model = page.specific_class
            if model is not None and not isinstance(page, model):
                page = api_pages(model, [page.pk]).get()
            self._cached_object = page
        return self._cached_object
