from immunotherapy.registry import TherapyPluginConfig


class CheckpointInhibitorsConfig(TherapyPluginConfig):
    name = "immunotherapy.therapies.checkpoint_inhibitors"
    label = "checkpoint_inhibitors"
    verbose_name = "Immune checkpoint inhibitors"
    therapy_slug = "checkpoint-inhibitors"
    therapy_description = "Medicines that release the brakes on the immune system."
    page_model = "CheckpointInhibitorPage"
