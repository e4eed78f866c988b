from immunotherapy.registry import TherapyType, register_therapy_type

from .models import OncolyticVirusPage

register_therapy_type(
    TherapyType(
        slug="oncolytic-virus",
        label="Oncolytic virus therapy",
        page_model=OncolyticVirusPage,
        version="1.0.0",
        supported_core=">=0.1,<1.0",
        plugin="tests.plugins.oncolytic_virus",
    )
)
