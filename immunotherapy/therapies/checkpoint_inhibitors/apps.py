from django.apps import AppConfig


class CheckpointInhibitorsConfig(AppConfig):
    name = "immunotherapy.therapies.checkpoint_inhibitors"
    label = "checkpoint_inhibitors"
    verbose_name = "Immune checkpoint inhibitors"
    default_auto_field = "django.db.models.BigAutoField"
