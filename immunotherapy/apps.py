from importlib import import_module

from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule


class ImmunotherapyConfig(AppConfig):
    name = "immunotherapy"
    verbose_name = "Immunotherapy content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from immunotherapy.api import register_v3_error_handlers

        discover_therapy_types()
        register_v3_error_handlers()


def discover_therapy_types() -> None:
    """Import every installed app's `therapy_types` module; check each enabled plugin registered."""
    from immunotherapy.plugins import PluginError
    from immunotherapy.registry import registry

    for app_config in apps.get_app_configs():
        if not module_has_submodule(app_config.module, "therapy_types"):
            continue
        try:
            import_module(f"{app_config.name}.therapy_types")
        except PluginError:
            raise
        except Exception as exc:
            raise PluginError(
                f"therapy plugin {app_config.name!r}: therapy_types.py failed:"
                f" {type(exc).__name__}: {exc}"
            ) from None
    registered_labels = {t.page_model._meta.app_label for t in registry}
    for app_path in getattr(settings, "IMMUNOTHERAPY_PLUGIN_APPS", []):
        app_config = next(c for c in apps.get_app_configs() if app_path in (c.name, _cls(c)))
        if app_config.label not in registered_labels:
            raise PluginError(
                f"therapy plugin {app_config.name!r}: registers no therapy type"
                " (does it have a therapy_types.py calling register_therapy_type?)"
            )


def _cls(app_config: AppConfig) -> str:
    return f"{type(app_config).__module__}.{type(app_config).__qualname__}"
