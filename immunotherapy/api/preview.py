"""API v2 page preview: a draft, shaped like a page, for the front-end app's preview."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.signing import BadSignature
from django.http import HttpRequest

from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page

from rest_framework.response import Response

from immunotherapy.preview import FrontEndPreviewMixin


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
