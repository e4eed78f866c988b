from immunotherapy.registry import TherapyType, register_therapy_type

from .models import CheckpointInhibitorPage

register_therapy_type(
    TherapyType(
        slug="checkpoint-inhibitors",
        label="Immune checkpoint inhibitors",
        page_model=CheckpointInhibitorPage,
        version="0.1.0",
        supported_core=">=0.1,<1.0",
        description="Medicines that release the brakes on the immune system.",
        plugin="immunotherapy.therapies.checkpoint_inhibitors",
    )
)
