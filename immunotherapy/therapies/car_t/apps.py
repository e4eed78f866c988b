from immunotherapy.registry import TherapyPluginConfig


class CarTConfig(TherapyPluginConfig):
    name = "immunotherapy.therapies.car_t"
    label = "car_t"
    verbose_name = "Adoptive cell therapy"
    therapy_slug = "adoptive-cell-therapy"
    therapy_description = (
        "Immune cells collected, changed or grown, and given back (CAR-T, TIL, TCR-T)."
    )
    page_model = "CellTherapyPage"
