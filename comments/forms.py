"""The reader's comment form (the JSON API in api.py applies the same rules and messages)."""

from django import forms

from site_config.params import MAX_DB_INT

from .models import (
    AUTHOR_EMAIL_MAX_LENGTH,
    AUTHOR_NAME_MAX_LENGTH,
    AUTHOR_URL_MAX_LENGTH,
    BODY_MAX_LENGTH,
)
from .validators import (
    BODY_REQUIRED,
    BODY_VALIDATORS,
    EMAIL_REQUIRED,
    NAME_REQUIRED,
    NAME_VALIDATORS,
    clean_author_url,
    validate_single_line,
)

# Hidden from people (and screen readers); bots that fill every field give themselves away.
# A textarea, because browsers never autofill one for a real reader.
HONEYPOT_FIELD = "extra_comment"


class CommentForm(forms.Form):
    """Name, email, website and comment, as under a WordPress post."""

    author_name = forms.CharField(
        label="Name",
        max_length=AUTHOR_NAME_MAX_LENGTH,
        validators=NAME_VALIDATORS,
        error_messages={"required": NAME_REQUIRED},
    )
    author_email = forms.EmailField(
        label="Email",
        max_length=AUTHOR_EMAIL_MAX_LENGTH,
        validators=[validate_single_line],
        error_messages={"required": EMAIL_REQUIRED},
    )
    author_url = forms.CharField(
        label="Website",
        max_length=AUTHOR_URL_MAX_LENGTH,
        required=False,
        widget=forms.URLInput,
    )
    body = forms.CharField(
        label="Comment",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
        strip=False,
        validators=BODY_VALIDATORS,
        error_messages={"required": BODY_REQUIRED},
    )
    parent = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_DB_INT, widget=forms.HiddenInput
    )
    extra_comment = forms.CharField(  # the honeypot
        required=False,
        label="Leave this field empty",
        widget=forms.Textarea(attrs={"autocomplete": "off", "tabindex": "-1", "rows": 1}),
    )

    def clean_author_url(self) -> str:
        return clean_author_url(self.cleaned_data["author_url"])
