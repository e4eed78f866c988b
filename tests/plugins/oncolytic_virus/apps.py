from immunotherapy.registry import TherapyPluginConfig


class OncolyticVirusConfig(TherapyPluginConfig):
    name = "tests.plugins.oncolytic_virus"
    label = "oncolytic_virus"
    verbose_name = "Oncolytic virus therapy"
    therapy_slug = "oncolytic-virus"
    page_model = "OncolyticVirusPage"
    plugin_version = "1.0.0"
