"""Each page's API v2 JSON, cached until the content changes, and written verbatim into responses.

A listing that misses the response cache (another filter or offset, a signed-in reader, a
front end asking for other `fields`) still shows pages that earlier requests have serialised.
Each page's JSON text is stored in Django's cache under the API generation
(`site_config.http_cache`): publishing, unpublishing, moving or deleting a page, or changing a
snippet, image or comment, starts a new generation, so no stale page is ever served. A request
serialises only the pages it does not find, and `PageJSONRenderer` writes the stored text into
the response without decoding it again.
"""

from django.http import HttpRequest

from rest_framework.renderers import JSONRenderer

from site_config.http_cache import current_generation, digest

# Query parameters that change how a page is represented (the others choose which pages).
SHAPE_PARAMETERS = ("fields", "rich_text_format")
_ITEMS = "\x00items\x00"  # stands for the listing's items while the envelope is rendered


class PageJSON:
    """One page's API representation, as UTF-8 JSON text."""

    __slots__ = ("text",)

    def __init__(self, text: bytes) -> None:
        self.text = text


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


def cache_keys(request: HttpRequest, action: str, model: type, ids: list[int]) -> dict[int, str]:
    """The cache key of each page in `ids` as `action` (listing or detail) of `model` shows it."""
    shape = "&".join(f"{name}={request.GET.get(name, '')}" for name in SHAPE_PARAMETERS)
    prefix = f"{request.get_host()}|{action}|{model._meta.label}|{shape}|"
    generation = current_generation()
    return {pk: f"api-page:{generation}:{digest(f'{prefix}{pk}'.encode())}" for pk in ids}
