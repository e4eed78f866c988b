from django.apps import AppConfig, apps
from django.conf import settings
from django.db.models.signals import post_save

from immunotherapy.plugins import PluginError
from immunotherapy.registry import TherapyPluginConfig, registry


class ImmunotherapyConfig(AppConfig):
    name = "immunotherapy"
    verbose_name = "Immunotherapy content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here: Django imports apps.py before any model exists, and these modules use
        # the models (django.apps.registry.Apps.populate).
        from immunotherapy import checks, orphans  # noqa: F401  (registers checks and signals)
        from immunotherapy.block_schema import register_v3_block_schemas
        from immunotherapy.models import Agent
        from immunotherapy.page_cache import connect_signals
        from immunotherapy.search import reindex_pages_showing_agent

        discover_therapy_types()
        register_v3_block_schemas()
        orphans.exclude_orphans_from_api_v3()
        orphans.orphans_are_not_previewable()
        connect_signals(self)
        post_save.connect(reindex_pages_showing_agent, sender=Agent, dispatch_uid="agent-reindex")


def discover_therapy_types() -> None:
    """Register the therapy type each installed plugin's app config declares; check every
    enabled plugin is one."""
    for app_config in apps.get_app_configs():
        if isinstance(app_config, TherapyPluginConfig):
            registry.register(app_config.therapy_type())
    for app_path in getattr(settings, "IMMUNOTHERAPY_PLUGIN_APPS", []):
        app_config = next(c for c in apps.get_app_configs() if app_path in (c.name, _cls(c)))
        if not isinstance(app_config, TherapyPluginConfig):
            raise PluginError(
                f"therapy plugin {app_config.name!r}: declares no therapy type (its apps.py"
                " needs a subclass of immunotherapy.registry.TherapyPluginConfig)"
            )


def _cls(app_config: AppConfig) -> str:
    return f"{type(app_config).__module__}.{type(app_config).__qualname__}"
