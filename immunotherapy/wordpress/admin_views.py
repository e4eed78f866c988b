"""Settings → Import from WordPress: upload an export, read the dry-run report, then import."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import get_valid_filename

from immunotherapy.models import WordPressUpload

from .importer import ImportRefused, run_import
from .report import ImportReport
from .wxr import WXRError

IMPORT_PERMISSION = "immunotherapy.import_wordpress"
TEMPLATE = "immunotherapy/admin/wordpress_import.html"
KEEP_UPLOADS_FOR = timedelta(days=1)


def user_can_import(user: User | AnonymousUser) -> bool:
    """Superusers, and users given “Can import WordPress exports” (through a group)."""
    return user.has_perm(IMPORT_PERMISSION)


class UploadForm(forms.Form):
    export = forms.FileField(
        label="WordPress export (.xml)",
        help_text="In WordPress: Tools → Export → All content → Download Export File.",
    )
    parent = forms.CharField(
        required=False,
        label="Import under",
        help_text="Path of the page to import under, such as /articles/. "
        "Leave empty for the article index.",
    )

    def clean_export(self) -> object:
        upload = self.cleaned_data["export"]
        limit = settings.WORDPRESS_IMPORT_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                f"The file is larger than {limit} MB: import it with "
                "`manage.py import_wordpress` on the server instead."
            )
        return upload


def _render(request: HttpRequest, **context: object) -> TemplateResponse:
    return TemplateResponse(request, TEMPLATE, context)


def wordpress_import_view(request: HttpRequest) -> HttpResponse:
    """Upload → dry-run report → “Import now” → the import's report."""
    user = request.user
    if not user.is_authenticated or not user_can_import(user):
        raise PermissionDenied
    if request.method == "POST" and "upload_id" in request.POST:
        return _import_upload(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _render(request, form=form)
    WordPressUpload.objects.filter(uploaded_at__lt=timezone.now() - KEEP_UPLOADS_FOR).delete()
    data = form.cleaned_data["export"].read()
    parent = form.cleaned_data["parent"].strip() or None
    try:
        report = run_import(data, parent_path=parent, dry_run=True)
    except (WXRError, ImportRefused) as exc:
        form.add_error("export" if isinstance(exc, WXRError) else "parent", str(exc))
        return _render(request, form=form)
    upload = WordPressUpload.objects.create(
        name=get_valid_filename(form.cleaned_data["export"].name)[:255],
        data=data,
        uploaded_by=user,
    )
    return _render(request, form=form, report=report, upload=upload, parent=parent or "")


def _import_upload(request: HttpRequest) -> HttpResponse:
    upload = WordPressUpload.objects.filter(pk=request.POST.get("upload_id") or 0).first()
    if upload is None:
        messages.error(request, "That upload has expired or was imported already: upload it again.")
        return redirect("wordpress_import")
    parent = request.POST.get("parent", "").strip() or None
    try:
        report: ImportReport = run_import(bytes(upload.data), parent_path=parent)
    except (WXRError, ImportRefused) as exc:
        messages.error(request, str(exc))
        return redirect("wordpress_import")
    upload.delete()
    if report.failures:
        messages.warning(request, f"Imported, but {len(report.failures)} item(s) failed.")
    else:
        messages.success(
            request, "Imported. The new articles are waiting in Reports → Reviews due."
        )
    return _render(request, form=UploadForm(), report=report, imported=True)
