from django.apps import AppConfig


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = "reader comments"

    def ready(self) -> None:
        from . import list_cache

        list_cache.connect_signals()
