"""System checks for therapy plugins (`manage.py check`, and before `migrate` and `runserver`)."""

from typing import Any

from django.apps import apps
from django.core.checks import Tags, Warning, register
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

from immunotherapy.registry import TherapyPluginConfig


@register(Tags.models)
def plugin_migrations_current(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Warn when a plugin's models changed without a migration, as after a core upgrade that
    adds a field to TherapyPage: its table would lack the column and its pages would fail."""
    labels = {
        config.label
        for config in apps.get_app_configs()
        if isinstance(config, TherapyPluginConfig)
        and (app_configs is None or config in app_configs)
    }
    if not labels:
        return []
    loader = MigrationLoader(None, ignore_no_migrations=True)
    changes = MigrationAutodetector(loader.project_state(), ProjectState.from_apps(apps)).changes(
        graph=loader.graph, trim_to_apps=labels
    )
    return [
        Warning(
            f"therapy plugin {apps.get_app_config(label).name!r}: its models have changes that"
            " are not in its migrations (after a core upgrade, TherapyPage may have new fields).",
            hint=f"In the plugin's source: python manage.py makemigrations {label}; then release"
            " the plugin with the new migration, install it and run python manage.py migrate.",
            id="immunotherapy.W001",
        )
        for label in sorted(changes)
        if label in labels
    ]
