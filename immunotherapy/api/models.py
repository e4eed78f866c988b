"""The stored API v2 JSON of every live page, and the content version readers' caches check."""

from django.db import models

from wagtail.models import Page


class StoredPage(models.Model):
    """One live page's API v2 representation, built when it is published and read by the API.

    `fields` holds each API field's JSON text as a plain request shows it (relations at their
    default nesting), packed so that a read slices it instead of decoding it; `nested` holds the
    relation fields at their fullest, for `fields=` forms that name sub-fields. The comment count
    and the public comments have columns of their own, so that moderating a comment refreshes
    them instead of rebuilding the page.
    """

    page = models.OneToOneField(
        Page, on_delete=models.CASCADE, primary_key=True, related_name="stored_json"
    )
    fields = models.TextField()  # packed by store.pack(): read without decoding the JSON
    nested = models.JSONField(default=dict)
    base_url = models.CharField(max_length=255, blank=True)  # of `detail_url`s, when built
    comments_open = models.BooleanField(null=True)  # None: the page has no comments
    comment_count = models.PositiveIntegerField(null=True)  # None: the page has no comments
    # The approved comments in thread order, each as the comments API shows it, packed by
    # store.pack_items() so that a read slices the JSON text of the ones it shows.
    comments = models.TextField(null=True)  # noqa: DJ001 (None: the page takes no comments)
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "stored page JSON"
        verbose_name_plural = "stored page JSON"

    def __str__(self) -> str:
        return f"API JSON of page {self.page_id}"


class ContentVersion(models.Model):
    """A number moved on, in the database, after every content change readers could see.

    Each process keeps its answers (API responses, small lookups) under the number it read at the
    start of the request, so every process stops using them on its next request after a change
    made in any process, with no shared cache needed.
    """

    number = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"content version {self.number}"
