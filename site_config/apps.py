from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project itself: its static files (site.css, print.css)."""

    name = "site_config"
    label = "site_config"
    verbose_name = "Site configuration"
