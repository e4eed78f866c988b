"""Admin forms: the page form API v3 writes bind, and the medical reviewer record's form.

The page form (`api_base_form_class`) refuses blank blocks. The admin drops a blank block on save
and says so (`immunotherapy.editor`); a client writing through the API gets no message, so its
write is refused instead and nothing is stored. `immunotherapy.api.v3_errors` names each blank
block and field in the 400.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

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


class MedicalReviewerForm(WagtailAdminModelForm):
    """A reviewer record's form: credentials required; its "User" lists only people who could
    review pages, each by name and username ("Mira Reyes (mreyes)")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Readers see them beside the name; approving and confirming a review need them.
        self.fields["credentials"].required = True
        if "user" in self.fields:  # shown only to those who link users (clinical leads)
            user_field = self.fields["user"]
            user_field.queryset = reviewer_user_choices(current=self.instance.user_id)
            user_field.label_from_instance = user_choice_label


def user_choice_label(user: Any) -> str:
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


def users_who_could_review() -> Any:
    """Active users who may keep a reviewer record: members of Medical reviewers or Clinical
    leads (they hold `change_medicalreviewer`) and superusers."""
    return get_user_model()._default_manager.with_perm(
        "immunotherapy.change_medicalreviewer", include_superusers=True
    )


def reviewer_user_choices(*, current: int | None) -> Any:
    """Users who could review (`users_who_could_review`) with no record yet; and `current`, the
    user the record already names."""
    could_review = users_who_could_review().filter(medical_reviewer__isnull=True)
    users = get_user_model()._default_manager
    return users.filter(Q(pk__in=could_review.values("pk")) | Q(pk=current)).order_by("username")
