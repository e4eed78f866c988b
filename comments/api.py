"""The comments endpoint on the API v2 router: list approved comments, post new ones."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.urls import path

from wagtail.models import Page

from rest_framework import serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from immunotherapy.api.store import (
    PageJSON,
    PageJSONRenderer,
    pack_items,
    stored_comments,
    stored_public_comments,
    unpack_items,
)
from site_config.client_ip import get_client_ip
from site_config.params import MAX_DB_INT, MAX_OFFSET, InvalidNumber, query_int

from .forms import HONEYPOT_FIELD
from .models import (
    AUTHOR_EMAIL_MAX_LENGTH,
    AUTHOR_NAME_MAX_LENGTH,
    AUTHOR_URL_MAX_LENGTH,
    BODY_MAX_LENGTH,
    Comment,
)
from .selectors import comment_page_get, comment_threads_page
from .services import CommentRefused, comment_submit
from .validators import (
    BODY_REQUIRED,
    BODY_VALIDATORS,
    EMAIL_REQUIRED,
    NAME_REQUIRED,
    NAME_VALIDATORS,
    clean_author_url,
    validate_single_line,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DEFAULT_LIMIT = 20


def _required(message: str) -> "dict[str, StrOrPromise]":
    """The form's "please type" message for a field that is missing, null or blank."""
    return {"required": message, "null": message, "blank": message}


class CommentCreateSerializer(serializers.Serializer):
    """The JSON a front end posts: the form's rules, with the form's messages."""

    page = serializers.IntegerField(min_value=1, max_value=MAX_DB_INT)
    # DRF's metaclass takes declared fields off the class; the stubs see `Field.parent` instead.
    parent = serializers.IntegerField(  # type: ignore[assignment]
        min_value=1, max_value=MAX_DB_INT, required=False, allow_null=True
    )
    author_name = serializers.CharField(
        validators=[MaxLengthValidator(AUTHOR_NAME_MAX_LENGTH), *NAME_VALIDATORS],
        error_messages=_required(NAME_REQUIRED),
    )
    author_email = serializers.EmailField(
        validators=[MaxLengthValidator(AUTHOR_EMAIL_MAX_LENGTH), validate_single_line],
        error_messages=_required(EMAIL_REQUIRED),
    )
    author_url = serializers.CharField(
        required=False,
        allow_blank=True,
        validators=[MaxLengthValidator(AUTHOR_URL_MAX_LENGTH)],
    )
    body = serializers.CharField(
        trim_whitespace=False,
        validators=[MaxLengthValidator(BODY_MAX_LENGTH), *BODY_VALIDATORS],
        error_messages=_required(BODY_REQUIRED),
    )
    extra_comment = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_author_url(self, value: str) -> str:
        return clean_author_url(value)


def _error(detail: str, status_code: int) -> Response:
    return Response({"message": detail}, status=status_code)


def _non_negative_int(request: Request, name: str, default: int) -> int | None:
    try:
        return query_int(request.query_params, name, default, maximum=MAX_OFFSET)
    except InvalidNumber:
        return None


class CommentsAPIViewSet(viewsets.ViewSet):
    """GET ?page=<id>: approved comments in thread order (&cpage=N: the HTML's page N of
    threads; else offset and limit). POST: a new comment (anonymous)."""

    model = Comment
    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [PageJSONRenderer]  # DRF's, taking stored JSON texts as they are
    parser_classes = [JSONParser]

    def listing_view(self, request: Request) -> Response:
        page_id = _non_negative_int(request, "page", 0)
        offset = _non_negative_int(request, "offset", 0)
        limit = _non_negative_int(request, "limit", DEFAULT_LIMIT)
        if not page_id:
            return _error("page: a page id is required, e.g. ?page=3", status.HTTP_400_BAD_REQUEST)
        if offset is None or limit is None:
            return _error("offset and limit must be whole numbers", status.HTTP_400_BAD_REQUEST)
        if limit > settings.WAGTAILAPI_LIMIT_MAX:
            return _error(
                f"limit cannot be higher than {settings.WAGTAILAPI_LIMIT_MAX}",
                status.HTTP_400_BAD_REQUEST,
            )
        # Stored in thread order when a comment is approved or taken down (immunotherapy/api),
        # with what says whether the page is public: one query, no page loaded, and the JSON
        # text of the comments shown sliced out, not decoded.
        packed = None if "cpage" in request.query_params else stored_public_comments(page_id)
        if packed is None:
            page = comment_page_get(page_id=page_id, specific=False)  # only its id is needed
            if page is None:
                return _error("No page with that id.", status.HTTP_404_NOT_FOUND)
            if "cpage" in request.query_params:
                return self.threads_page(request, page)
            packed = stored_comments(page.pk) or pack_items([])
        total, items = unpack_items(packed, offset, offset + limit)
        return Response(
            {"meta": {"total_count": total}, "items": [PageJSON(item.encode()) for item in items]}
        )

    def threads_page(self, request: Request, page: Page) -> Response:
        """?cpage=N: the threads of the article's comment page N, in the same order as the HTML."""
        number = _non_negative_int(request, "cpage", 1)
        if not number:
            return _error("cpage must be a whole number from 1", status.HTTP_400_BAD_REQUEST)
        threads = comment_threads_page(page=page, number=number)
        if threads.threads.number != number:
            return _error("No comment page with that number.", status.HTTP_404_NOT_FOUND)
        meta = {
            "total_count": threads.total,
            "cpage": number,
            "cpages": threads.threads.paginator.num_pages,
            "threads_per_page": settings.COMMENTS_PER_PAGE,
            "order": settings.COMMENTS_ORDER,
        }
        return Response({"meta": meta, "items": [c.api_representation() for c in threads.comments]})

    def create_view(self, request: Request) -> Response:
        serializer = CommentCreateSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        data = serializer.validated_data
        page = comment_page_get(page_id=data["page"])
        if page is None:
            return _error("No page with that id.", status.HTTP_404_NOT_FOUND)
        try:
            comment = comment_submit(
                page=page,
                parent_id=data.get("parent"),
                author_name=data["author_name"],
                author_email=data["author_email"],
                author_url=data.get("author_url", ""),
                body=data["body"],
                ip_address=get_client_ip(request),
                user_agent=request.headers.get("user-agent", ""),
                honeypot=data[HONEYPOT_FIELD],
            )
        except CommentRefused as refusal:
            # Field errors keyed by field as the serializer's are; others as one message.
            return Response(refusal.errors or {"message": str(refusal)}, status=refusal.status_code)
        # Spam gets the same answer as a held comment, so a bot learns nothing.
        shown = "approved" if comment.status == Comment.Status.APPROVED else "pending"
        return Response({"id": comment.pk, "status": shown}, status=status.HTTP_201_CREATED)

    @classmethod
    def get_urlpatterns(cls) -> list:
        view = cls.as_view({"get": "listing_view", "post": "create_view"})
        return [path("", view, name="listing")]
