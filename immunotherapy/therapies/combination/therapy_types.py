from immunotherapy.registry import TherapyType, register_therapy_type

from .models import CombinationTherapyPage

register_therapy_type(
    TherapyType(
        slug="combination-therapies",
        label="Combination therapies",
        page_model=CombinationTherapyPage,
        version="0.1.0",
        supported_core=">=0.1,<1.0",
        description="Immunotherapy given with other treatments, or two immunotherapies together.",
        plugin="immunotherapy.therapies.combination",
    )
)
