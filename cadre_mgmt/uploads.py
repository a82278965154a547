"""What every upload shares: the Excel upload form of the imports and the zip inflation check.

An .xlsx or .docx is a zip archive; a small one can declare members that unpack to gigabytes. Every
upload that is a zip (the cadre import, the quarterly score import, ledger attachments) passes through
``zip_member_names`` before anything reads it. Python's zipfile stops at a member's declared size (a
member that lies about it fails its CRC check), so the declared sizes are what reading would cost.
"""

import io
import zipfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# A real 5,000-row import template unpacks to a few MB; anything far larger is refused unread.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


class WorkbookError(Exception):
    """The file as a whole cannot be read (or the import is refused as a whole); the message is for the user."""


class NotAnArchive(ValueError):
    """The bytes are not a zip archive at all (the caller words the refusal for its file type)."""


def too_large_message():
    return _("The file is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}


def zip_member_names(data: bytes, *, limit=MAX_UNPACKED_BYTES) -> list[str]:
    """The member names of a zip archive (an .xlsx or .docx) that unpacks to at most ``limit`` bytes.

    Raises ``NotAnArchive`` for anything that is not a zip, and ``ValidationError`` (the user's
    message) for an archive whose members would unpack to more than ``limit`` bytes (a zip bomb).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception as exc:  # zipfile raises several kinds for random bytes, not only BadZipFile
        raise NotAnArchive from exc
    if sum(info.file_size for info in infos) > limit:
        raise ValidationError(_("The file unpacks to an unreasonable size; it is refused."))
    return [info.filename for info in infos]


class ExcelUploadForm(forms.Form):
    """The upload form of every Excel import: one .xlsx file within the upload size limit."""

    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an .xlsx workbook made from the template."))
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(too_large_message())
        return upload


def import_page(request, form, run, *, success, template, context, redirect_to):
    """An Excel import page: a valid upload is imported by ``run(data, filename) -> result`` (all rows or none).

    A file refused as a whole (``WorkbookError``) or rows with problems (``result.errors``) are shown
    with ``includes/import_errors.html``; a clean import flashes ``success(result)`` and redirects.
    """
    result = file_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = run(upload.read(), upload.name)
        except WorkbookError as exc:
            file_error = str(exc)
        else:
            if result.ok:
                messages.success(request, success(result))
                return redirect(redirect_to)
    return render(request, template, {"form": form, "result": result, "file_error": file_error, **context})
