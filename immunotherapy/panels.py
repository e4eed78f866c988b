"""Editor panels of medical pages: the publishing checklist beside the body."""

from typing import Any

from wagtail.admin.panels import Panel

from immunotherapy.blocks.streams import publishing_checklist


class PublishingChecklistPanel(Panel):
    """What a therapy page needs before review, ticked off from its body (live, by a script)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "immunotherapy/admin/publishing_checklist_panel.html"

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            body = self.form["body"].value() if self.form is not None else self.instance.body
            checklist = publishing_checklist(body)
            context["checks"] = [(rule.name, rule.label, present) for rule, present in checklist]
            context["rules"] = [rule.as_data() for rule, _present in checklist]
            return context
