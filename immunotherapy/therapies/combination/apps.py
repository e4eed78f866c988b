from django.apps import AppConfig


class CombinationConfig(AppConfig):
    name = "immunotherapy.therapies.combination"
    label = "combination"
    verbose_name = "Combination therapies"
    default_auto_field = "django.db.models.BigAutoField"
