"""The API and its delivery path, one module per job.

- `router.py`: the one API v2 router; `endpoints.py` registers its endpoints (pages, images,
  documents, page preview, comments) when the app is ready; `index.py` answers `/api/v2/` and
  `/api/v3/` with their endpoints.
- `pages.py`: API v2 pages, answered from the page JSON store.
- `preview.py`: API v2 page preview (drafts for the front-end app).
- `v3_errors.py`: API v3 write errors as 400s naming the block.
- `models.py`, `store.py`: the page JSON store (built at publish, read with no serializer).
- `invalidation.py`: which pages a change shows on (Wagtail's reference index); rebuilds them.
- `http_cache.py`: ETags, Cache-Control, 304s and each process's response cache.
- `prefetch.py`: batch loading of chosen snippets and images, and of what API fields read.
- `checks.py`: refuses configurations whose caches could serve stale content.

Wagtail internals overridden here, read from Wagtail 8.0.1 (re-read them when upgrading):
`wagtail.api.v2.views.PagesAPIViewSet` (`get_base_queryset`, `get_queryset`, `listing_view`,
`detail_view`, `get_object`, `get_renderer_context`; `_get_serializer_class` is called to
validate `fields` and build the stored JSON), `wagtail.api.v2.serializers.PageParentField`
(`get_attribute`), `BaseSerializer.to_representation`'s key order (id, meta, fields, which
`store.render` reproduces), `wagtail.api.utils.get_base_url` (the `detail_url` base), the
`wagtail.api.v3.urls.api` exception handler for `FormValidationError`, and
`wagtail.blocks.ChooserBlock.bulk_to_python` (`prefetch.PrefetchedChooserMixin`).
"""
