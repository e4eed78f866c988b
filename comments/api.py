"""The comments endpoint on the API v2 router: list approved comments, post new ones."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import path

from rest_framework import serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from site_config.client_ip import get_client_ip

from .forms import HONEYPOT_FIELD
from .models import (
    AUTHOR_EMAIL_MAX_LENGTH,
    AUTHOR_NAME_MAX_LENGTH,
    AUTHOR_URL_MAX_LENGTH,
    BODY_MAX_LENGTH,
    Comment,
)
from .sanitizer import render_comment_html
from .selectors import comment_list_approved, comment_page_get
from .services import (
    CommentFlood,
    CommentsClosed,
    DuplicateComment,
    comment_create,
    comments_are_open,
)

DEFAULT_LIMIT = 20


class CommentCreateSerializer(serializers.Serializer):
    """The JSON a front end posts; the same limits as the HTML form."""

    page = serializers.IntegerField(min_value=1)
    parent = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    author_name = serializers.CharField(max_length=AUTHOR_NAME_MAX_LENGTH)
    author_email = serializers.EmailField(max_length=AUTHOR_EMAIL_MAX_LENGTH)
    author_url = serializers.CharField(
        max_length=AUTHOR_URL_MAX_LENGTH,
        required=False,
        allow_blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    body = serializers.CharField(max_length=BODY_MAX_LENGTH, trim_whitespace=False)
    extra_comment = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_body(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("This field may not be blank.")
        return value


def comment_representation(comment: Comment) -> dict[str, Any]:
    """What the public may see of a comment: never email, IP address or user agent."""
    return {
        "id": comment.pk,
        "parent": comment.parent_id,
        "depth": comment.thread_depth,
        "author_name": comment.author_name,
        "author_url": comment.author_url,
        "created_at": comment.created_at.isoformat(),
        "body_html": str(render_comment_html(comment.body)),
    }


def _error(detail: str, status_code: int) -> Response:
    return Response({"message": detail}, status=status_code)


def _non_negative_int(request: Request, name: str, default: int) -> int | None:
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    return int(raw) if raw.isdigit() else None


class CommentsAPIViewSet(viewsets.ViewSet):
    """GET ?page=<id>: approved comments in thread order. POST: a new comment (anonymous)."""

    model = Comment
    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
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
        page = comment_page_get(page_id=page_id, specific=False)  # only its id is needed
        if page is None:
            return _error("No page with that id.", status.HTTP_404_NOT_FOUND)
        comments = comment_list_approved(page=page)
        items = [comment_representation(c) for c in comments[offset : offset + limit]]
        return Response({"meta": {"total_count": len(comments)}, "items": items})

    def create_view(self, request: Request) -> Response:
        serializer = CommentCreateSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        data = serializer.validated_data
        page = comment_page_get(page_id=data["page"])
        if page is None:
            return _error("No page with that id.", status.HTTP_404_NOT_FOUND)
        if not comments_are_open(page):
            return _error(CommentsClosed.message, status.HTTP_403_FORBIDDEN)
        parent = None
        if data.get("parent"):
            parent = Comment.objects.filter(pk=data["parent"], page_id=page.pk).first()
            if parent is None:
                return Response(
                    {"parent": ["No comment with that id on this page."]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        try:
            comment = comment_create(
                page=page,
                parent=parent,
                author_name=data["author_name"],
                author_email=data["author_email"],
                author_url=data.get("author_url", ""),
                body=data["body"],
                ip_address=get_client_ip(request),
                user_agent=request.headers.get("user-agent", ""),
                honeypot=data[HONEYPOT_FIELD],
            )
        except ValidationError as error:
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        except CommentsClosed as refusal:
            return _error(str(refusal), status.HTTP_403_FORBIDDEN)
        except CommentFlood as refusal:
            return _error(str(refusal), status.HTTP_429_TOO_MANY_REQUESTS)
        except DuplicateComment as refusal:
            return _error(str(refusal), status.HTTP_409_CONFLICT)
        return Response(
            {"id": comment.pk, "status": comment.status}, status=status.HTTP_201_CREATED
        )

    @classmethod
    def get_urlpatterns(cls) -> list:
        view = cls.as_view({"get": "listing_view", "post": "create_view"})
        return [path("", view, name="listing")]
