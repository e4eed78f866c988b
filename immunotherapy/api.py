"""API code for this app: v2 endpoint classes (pages, draft preview) and 400s on v3 writes.

API v3 writes: content errors answer 400 with each block's path.

Wagtail's v3 API binds a write to the page's admin form, so every block's `clean()` (NCT ids,
alt text, a therapy page's required blocks) runs as it does in the admin, and nothing is saved
when one fails. Wagtail reports a StreamField failure as a single 422 "Validation error in
StreamBlock" on the field. This project's contract is 400 naming the field inside the stream
(`["body", 3, "nct_id"]`), so the handler below re-cleans the submitted stream to find it.
A malformed request (wrong JSON shape) stays 422.
"""

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.signing import BadSignature
from django.db.models import Prefetch, QuerySet
from django.db.models.fields.related_descriptors import ReverseManyToOneDescriptor
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property

from wagtail.api.v2.serializers import PageParentField, PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.v3.errors import problem_response
from wagtail.api.validators import SiteFilterValidator
from wagtail.blocks import StreamBlockValidationError
from wagtail.coreutils import resolve_model_string
from wagtail.fields import StreamField
from wagtail.models import Page, PageQuerySet, PageViewRestriction, Site
from wagtail.utils.forms import FormValidationError

from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from comments.models import CommentsMixin
from comments.selectors import comment_count_approved
from immunotherapy.page_json import PageJSON, PageJSONRenderer, cache_keys
from immunotherapy.prefetch import prefetch_pages
from immunotherapy.preview import FrontEndPreviewMixin
from immunotherapy.registry import registry
from site_config.http_cache import cached_until_content_changes


def flatten_block_errors(data: dict[str, Any], loc: list[Any]) -> list[dict[str, Any]]:
    """Block error JSON (as the admin gets it) as a flat list of {loc, msg} entries."""
    errors = [{"type": "invalid", "loc": loc, "msg": msg} for msg in data.get("messages", [])]
    children = data.get("blockErrors") or {}
    items = children.items() if isinstance(children, dict) else enumerate(children)
    for key, child in items:
        if child:
            errors.extend(flatten_block_errors(child, [*loc, key]))
    return errors


def _page_model(request: HttpRequest, payload: dict[str, Any]) -> type[Page] | None:
    try:
        return resolve_model_string(payload["meta"]["type"])
    except (KeyError, TypeError, ValueError, LookupError):
        page_id = (request.resolver_match.kwargs or {}).get("page_id")
        page = Page.objects.filter(pk=page_id).first() if page_id else None
        return page.specific_class if page else None


def stream_errors(request: HttpRequest, name: str) -> list[dict[str, Any]] | None:
    """Detailed errors for the stream field `name` of the submitted page, if it fails to clean."""
    try:
        payload = json.loads(request.body)
    except ValueError:
        return None
    model = _page_model(request, payload) if isinstance(payload, dict) else None
    if model is None or name not in payload:
        return None
    try:
        field = model._meta.get_field(name)
    except LookupError:
        return None
    if not isinstance(field, StreamField):
        return None
    block = field.stream_block
    publishing = (payload.get("meta") or {}).get("action") == "publish"
    if not publishing:
        block.defer_required_validation()
    try:
        block.clean(block.to_python(payload[name]))
    except StreamBlockValidationError as exc:
        return flatten_block_errors(exc.as_json_data(), [name])
    except (ValidationError, ValueError, TypeError, KeyError):
        return None
    finally:
        if not publishing:
            block.restore_deferred_validation()
    return None


def content_error_response(request: HttpRequest, exc: FormValidationError) -> HttpResponse:
    errors: list[dict[str, Any]] = []
    for path, coded_messages in exc.loc_errors:
        detailed = stream_errors(request, path[0]) if len(path) == 1 else None
        if detailed:
            errors.extend(detailed)
            continue
        errors.extend(
            {"type": code, "loc": list(path), "msg": message} for message, code in coded_messages
        )
    return problem_response(status=400, detail="Invalid content", errors=errors)


def register_v3_error_handlers() -> None:
    from wagtail.api.v3.urls import api

    api.add_exception_handler(FormValidationError, content_error_response)


def view_restrictions() -> list[PageViewRestriction]:
    """Every page view restriction, with its page and groups, read once per content generation
    (saving or deleting one starts a new generation)."""
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    return cached_until_content_changes("api-view-restrictions", lambda: list(restrictions))


@functools.cache
def stale_content_type_ids() -> list[int]:
    """Content types of models that are no longer installed, such as a disabled plugin's page
    type: pages of those types have no model and must not be served. Read once per process, as
    enabling or disabling a plugin takes a restart."""
    return [ct.pk for ct in ContentType.objects.all() if ct.model_class() is None]


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


class PublicParentField(PageParentField):
    """The parent page, if public, in one query (Wagtail's own field makes two)."""

    def get_attribute(self, instance: Page) -> Page | None:
        if instance.depth <= 1:
            return None
        parent_path = instance.path[: -Page.steplen]
        return self.context["base_queryset"].filter(path=parent_path).first()


class PublicPageSerializer(PageSerializer):
    parent = PublicParentField(read_only=True)


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
            queryset = self._public_pages(therapy_type.page_model)
        return queryset

    def _public_pages(self, model: type[Page] = Page) -> PageQuerySet:
        # Wagtail's public pages (live; not view-restricted for this request; under the site's
        # root), with the restrictions and the site read once per content generation, not
        # queried on every request; and only pages of installed types that have not expired.
        pages = model.objects.live().exclude(content_type_id__in=stale_content_type_ids())
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
        queryset = self.filter_queryset(queryset)
        if isinstance(queryset, QuerySet):  # not search results: ids, as pages are loaded later
            queryset = queryset.values_list("pk", flat=True)
        ids = [getattr(item, "pk", item) for item in self.paginate_queryset(queryset)]
        return self.get_paginated_response(
            self.pages_json(ids, model, lambda missing: api_pages(model, missing))
        )

    def detail_view(self, request: HttpRequest, pk: Any) -> Response:
        page = self.public_page
        model = page.specific_class or type(page)
        return Response(self.pages_json([page.pk], model, lambda _missing: [self.get_object()])[0])

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

    def pages_json(
        self, ids: list[int], model: type[Page], load: Callable[[list[int]], Iterable[Page]]
    ) -> list[PageJSON]:
        """The JSON of the pages `ids`, in order: from the cache, or `load`ed and serialised."""
        timeout = settings.API_PAGE_CACHE_TIMEOUT
        keys = cache_keys(self.request, self.action, model, ids)
        texts = cache.get_many(list(keys.values())) if ids and timeout else {}
        missing = [pk for pk in ids if keys[pk] not in texts]
        if missing or not ids:
            serializer_class = self.get_serializer_class()  # a bad `fields` is a 400 here
        if missing:
            pages = [page for page in load(missing) if page is not None]
            prefetch_pages(pages)
            serializer = serializer_class(context=self.get_serializer_context())
            rendered = {
                keys[page.pk]: JSONRenderer().render(serializer.to_representation(page))
                for page in pages
            }
            if timeout:
                cache.set_many(rendered, timeout)
            texts.update(rendered)
        return [PageJSON(texts[key]) for key in keys.values() if key in texts]


class PagePreviewAPIViewSet(PagesAPIViewSet):
    """`/api/v2/page_preview/?content_type=app.model&token=...`: a draft, shaped like a page."""

    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["content_type", "token"])

    def listing_view(self, request: HttpRequest) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def detail_view(self, request: HttpRequest, pk: Any) -> Response:
        return self.listing_view(request)

    def get_object(self) -> Page:
        content_type = self.request.GET.get("content_type", "")
        token = self.request.GET.get("token", "")
        if not content_type or not token:
            raise BadRequestError("content_type and token are required")
        app_label, _, model = content_type.partition(".")
        page_model = ContentType.objects.filter(app_label=app_label, model=model).first()
        model_class = page_model.model_class() if page_model else None
        if model_class is None or not issubclass(model_class, FrontEndPreviewMixin):
            raise BadRequestError(f"content_type {content_type!r} is not a previewable page type")
        try:
            page = model_class.get_page_from_preview_token(token)
        except BadSignature:
            raise BadRequestError("token is invalid or has expired") from None
        if page is None:
            raise BadRequestError("token is invalid or has expired")
        return page
