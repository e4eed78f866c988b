"""`{% structured_data page %}`: the page's schema.org JSON-LD in a data (not script) element."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from wagtail.models import Page

from immunotherapy.models import MedicalContentPage
from immunotherapy.structured_data import web_page

register = template.Library()

# As Django's json_script: nothing in the data can close the element or open a comment.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def structured_data(page: Page | None) -> SafeString:
    if not isinstance(page, Page):
        return mark_safe("")
    page = page.specific
    page_data = page.structured_data() if isinstance(page, MedicalContentPage) else web_page(page)
    data = json.dumps(page_data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(  # noqa: S308 - JSON with <, > and & escaped, as json_script does
        f'<script type="application/ld+json">{data.translate(JSON_ESCAPES)}</script>'
    )
