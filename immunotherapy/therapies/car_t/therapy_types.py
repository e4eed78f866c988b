from immunotherapy.registry import TherapyType, register_therapy_type

from .models import CellTherapyPage

register_therapy_type(
    TherapyType(
        slug="adoptive-cell-therapy",
        label="Adoptive cell therapy",
        page_model=CellTherapyPage,
        version="0.1.0",
        supported_core=">=0.1,<1.0",
        description="Immune cells collected, changed or grown, and given back (CAR-T, TIL, TCR-T).",
        plugin="immunotherapy.therapies.car_t",
    )
)
