from django.apps import AppConfig


class APIConfig(AppConfig):
    """The API: endpoints, the stored page JSON, its invalidation and the response cache."""

    name = "immunotherapy.api"
    label = "immunotherapy_api"
    verbose_name = "API and delivery"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here: Django imports apps.py before any model exists, and these modules use
        # the models (django.apps.registry.Apps.populate).
        from . import checks, endpoints, invalidation, v3_errors  # noqa: F401 - checks registers itself

        endpoints.register_endpoints()
        invalidation.connect_signals()
        v3_errors.register_v3_error_handlers()
