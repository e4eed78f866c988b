"""The endpoints the API v2 router serves: pages, images, documents, page preview, comments."""

from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from comments.api import CommentsAPIViewSet
from immunotherapy.api.pages import PublicPagesAPIViewSet
from immunotherapy.api.preview import PagePreviewAPIViewSet
from immunotherapy.api.router import api_router


def register_endpoints() -> None:
    """Register each endpoint on the router (from `APIConfig.ready()`, before any URL loads)."""
    api_router.register_endpoint("pages", PublicPagesAPIViewSet)
    api_router.register_endpoint("images", ImagesAPIViewSet)
    api_router.register_endpoint("documents", DocumentsAPIViewSet)
    api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)
    api_router.register_endpoint("comments", CommentsAPIViewSet)
