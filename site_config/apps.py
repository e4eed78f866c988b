from django.apps import AppConfig


class SiteConfig(AppConfig):
    """Site-wide delivery concerns: the API response cache and its invalidation."""

    name = "site_config"
    label = "site_config"
    verbose_name = "Site configuration"

    def ready(self) -> None:
        from . import http_cache

        http_cache.connect_invalidation_signals()
