"""What the WordPress importer remembers: which WordPress object became which of ours."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class WordPressImported(models.Model):
    """One WordPress post, page, attachment or comment and the object it was imported as.

    Running an import again looks these up, so nothing is created twice and pages changed in
    Wagtail since their import are left alone.
    """

    class Kind(models.TextChoices):
        POST = "post", "Post"
        PAGE = "page", "Page"
        ATTACHMENT = "attachment", "Attachment"
        COMMENT = "comment", "Comment"

    source = models.CharField(
        max_length=255, help_text="The WordPress site the export came from (its base URL)."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    wp_id = models.PositiveBigIntegerField("WordPress id")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    imported_object = GenericForeignKey("content_type", "object_id")
    wp_modified = models.CharField(
        max_length=32, blank=True, help_text="WordPress's last-modified time of the post."
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The page revision the import wrote; a later one means an editor changed it.",
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "imported WordPress object"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "wp_id"], name="unique_wordpress_object"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.wp_id}"


class WordPressUpload(models.Model):
    """An export uploaded in the admin, kept between its dry run and the real import."""

    name = models.CharField(max_length=255)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "uploaded WordPress export"
        permissions = [("import_wordpress", "Can import WordPress exports")]

    def __str__(self) -> str:
        return self.name
