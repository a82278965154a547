"""Ledger attachments: only a few document and image types, checked by extension AND leading bytes.

The leading bytes are what the file really is; a renamed executable or HTML page is refused even
with an allowed extension. Attachments are stored under MEDIA_ROOT with a random name and served
only through a view that checks the user may see the entry (never a public /media/ URL).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from cadre_mgmt import uploads

# extension → (content type, check of the leading bytes)
ZIP_MAGIC = b"PK\x03\x04"
ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAGIC = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (ZIP_MAGIC,),
    "xlsx": (ZIP_MAGIC,),
}
# An Office file is a zip whose parts name the application.
OFFICE_PART = {"docx": "word/", "xlsx": "xl/"}


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_type_for(name):
    return ALLOWED.get(extension_of(name), "application/octet-stream")


def check_attachment(upload):
    """Raise ValidationError unless ``upload`` (an UploadedFile) is an allowed type within the size limit."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("The attachment is larger than %(mb)s MB.") % {"mb": round(limit / (1024 * 1024), 1)})
    extension = extension_of(upload.name)
    if extension not in ALLOWED:
        raise ValidationError(_("Attach a PDF, JPG, PNG, Word (.docx) or Excel (.xlsx) file."))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in MAGIC[extension]):
        raise ValidationError(_("The file's content does not match its .%(ext)s extension.") % {"ext": extension})
    if extension in OFFICE_PART:
        data = upload.read()
        upload.seek(0)
        try:
            names = uploads.zip_member_names(data)
        except uploads.NotAnArchive as exc:
            raise ValidationError(_("The file's content does not match its .%(ext)s extension.") % {"ext": extension}) from exc
        if not any(name.startswith(OFFICE_PART[extension]) for name in names):
            raise ValidationError(_("The file's content does not match its .%(ext)s extension.") % {"ext": extension})
    return extension


def store_attachment(upload, *, storage, folder: str) -> tuple[str, str]:
    """Check ``upload`` and save it under ``folder`` with a random name; return (stored name, original name).

    The uploaded name is kept only as the download name (at most 120 characters, its end kept)."""
    extension = check_attachment(upload)
    stored = storage.save(f"{folder}/{uuid.uuid4().hex}.{extension}", upload)
    return stored, (upload.name or "")[-120:]


def attachment_response(stored, name: str) -> FileResponse:
    """The download of a stored attachment (a FieldFile) under its original ``name``; a missing file is a 404.
    The caller has checked that the user may read the record the file belongs to."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=name or stored.name, content_type=content_type_for(stored.name))
