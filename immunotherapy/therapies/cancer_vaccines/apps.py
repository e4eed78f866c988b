from django.apps import AppConfig


class CancerVaccinesConfig(AppConfig):
    name = "immunotherapy.therapies.cancer_vaccines"
    label = "cancer_vaccines"
    verbose_name = "Cancer vaccines"
    default_auto_field = "django.db.models.BigAutoField"
