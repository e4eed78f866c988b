from immunotherapy.registry import TherapyPluginConfig


class CancerVaccinesConfig(TherapyPluginConfig):
    name = "immunotherapy.therapies.cancer_vaccines"
    label = "cancer_vaccines"
    verbose_name = "Cancer vaccines"
    therapy_slug = "cancer-vaccines"
    therapy_description = "Vaccines that prevent cancer-causing infections or treat cancer."
    page_model = "CancerVaccinePage"
