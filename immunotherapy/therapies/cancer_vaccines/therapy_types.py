from immunotherapy.registry import TherapyType, register_therapy_type

from .models import CancerVaccinePage

register_therapy_type(
    TherapyType(
        slug="cancer-vaccines",
        label="Cancer vaccines",
        page_model=CancerVaccinePage,
        version="0.1.0",
        supported_core=">=0.1,<1.0",
        description="Vaccines that prevent cancer-causing infections or treat cancer.",
        plugin="immunotherapy.therapies.cancer_vaccines",
    )
)
