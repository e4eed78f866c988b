"""The reader's comment form (the JSON API validates the same fields in api.py)."""

from django import forms
from django.core.validators import URLValidator

from .models import (
    AUTHOR_EMAIL_MAX_LENGTH,
    AUTHOR_NAME_MAX_LENGTH,
    AUTHOR_URL_MAX_LENGTH,
    BODY_MAX_LENGTH,
)

# Hidden from people (and screen readers); bots that fill every field give themselves away.
# A textarea, because browsers never autofill one for a real reader.
HONEYPOT_FIELD = "extra_comment"


class CommentForm(forms.Form):
    """Name, email, website and comment, as under a WordPress post."""

    author_name = forms.CharField(label="Name", max_length=AUTHOR_NAME_MAX_LENGTH)
    author_email = forms.EmailField(
        label="Email",
        max_length=AUTHOR_EMAIL_MAX_LENGTH,
    )
    author_url = forms.URLField(
        label="Website",
        max_length=AUTHOR_URL_MAX_LENGTH,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )
    body = forms.CharField(
        label="Comment",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
        strip=False,
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    extra_comment = forms.CharField(  # the honeypot
        required=False,
        label="Leave this field empty",
        widget=forms.Textarea(attrs={"autocomplete": "off", "tabindex": "-1", "rows": 1}),
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("Please type your comment.")
        return body
