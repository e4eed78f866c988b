"""The page form API v3 writes bind (`api_base_form_class`): blank blocks are refused.

The admin drops a blank block on save and says so (`immunotherapy.editor`); a client writing
through the API gets no message, so its write is refused instead and nothing is stored.
`immunotherapy.api.v3_errors` names each blank block and field in the 400.
"""

from typing import Any

from django.core.exceptions import ValidationError

from wagtail.admin.forms import WagtailAdminPageForm

from immunotherapy.blocks.streams import DropBlankBlocksMixin


class BlankBlocksRefusedPageForm(WagtailAdminPageForm):
    """Wagtail's page form, refusing a body that holds a blank block."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, field in self.fields.items():
            block = getattr(field, "block", None)
            if not isinstance(block, DropBlankBlocksMixin):
                continue
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            blank = block.blank_children(value)
            if blank:
                places = ", ".join(
                    f"{name}[{i}]" for i, child in enumerate(value) if child in blank
                )
                message = f"Empty blocks at {places}: fill them in or leave them out."
                self.add_error(name, ValidationError(message, code="blank_block"))
        return cleaned
