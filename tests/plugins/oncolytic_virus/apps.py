from django.apps import AppConfig


class OncolyticVirusConfig(AppConfig):
    name = "tests.plugins.oncolytic_virus"
    label = "oncolytic_virus"
    verbose_name = "Oncolytic virus therapy"
    default_auto_field = "django.db.models.BigAutoField"
