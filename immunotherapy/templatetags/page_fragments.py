"""`{% page_fragment "name" %}...{% endpage_fragment %}`: part of a page's HTML, rendered once
and kept in the shared cache until the page changes.

The fragment is kept under the page's version in the HTML page cache (`page_cache.py`), which
`pages_changed` replaces whenever anything the page shows changes (the page, a snippet, image or
setting it shows, a page it links to), and under the deploy's generation, so it is exactly as
fresh as a cached page, for readers the page cache cannot serve (signed in, with a session).
Previews, and requests that did not come through the page cache's view (its versions are read
when the request begins), are rendered every time: they may show a draft.
"""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.base import NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe

from immunotherapy.page_cache import fragment_key, fragment_versions

register = template.Library()


class PageFragmentNode(template.Node):
    def __init__(self, name: template.base.FilterExpression, nodelist: NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        request = context.get("request")
        page = context.get("page")
        if request is None or page is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        versions = fragment_versions(request)
        if versions is None:
            return self.nodelist.render(context)
        key = fragment_key(request, page.pk, self.name.resolve(context))
        entry = cache.get(key)
        if entry is not None and entry[0] == versions:
            return mark_safe(entry[1])  # noqa: S308 (rendered by this template)
        html = self.nodelist.render(context)
        # Kept with the versions read when the request began, before the page was read: a
        # change made since replaced them, so what this render read is never served again.
        cache.set(key, (versions, str(html)), settings.HTML_CACHE_TIMEOUT)
        return html


@register.tag
def page_fragment(parser: Parser, token: Token) -> PageFragmentNode:
    """`{% page_fragment "name" %}`: the enclosed HTML, kept until the page changes."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the fragment's name")
    nodelist = parser.parse(("endpage_fragment",))
    parser.delete_first_token()
    return PageFragmentNode(parser.compile_filter(bits[1]), nodelist)
