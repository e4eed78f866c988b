from django.apps import AppConfig


class CarTConfig(AppConfig):
    name = "immunotherapy.therapies.car_t"
    label = "car_t"
    verbose_name = "Adoptive cell therapy"
    default_auto_field = "django.db.models.BigAutoField"
