"""The admin's words for a page whose therapy plugin is disabled or not installed."""

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType

from immunotherapy.orphans import AbsentPlugin, plugin_of

register = template.Library()


@register.filter
def absent_plugin(page: Any) -> AbsentPlugin:
    """The plugin of an orphaned page (one whose `specific_class` is None)."""
    return plugin_of(ContentType.objects.get_for_id(page.content_type_id))
