from immunotherapy.registry import TherapyPluginConfig


class CombinationConfig(TherapyPluginConfig):
    name = "immunotherapy.therapies.combination"
    label = "combination"
    verbose_name = "Combination therapies"
    therapy_slug = "combination-therapies"
    therapy_description = (
        "Immunotherapy given with other treatments, or two immunotherapies together."
    )
    page_model = "CombinationTherapyPage"
