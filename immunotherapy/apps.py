from django.apps import AppConfig


class ImmunotherapyConfig(AppConfig):
    name = "immunotherapy"
    verbose_name = "Immunotherapy content"
    default_auto_field = "django.db.models.BigAutoField"
