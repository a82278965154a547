"""Cadre imports too large for a request (issue 16 #11: 5,000 rows took 21 s against gunicorn's 30 s).

A file of more rows than ``settings.CADRE_IMPORT_ASYNC_ROWS`` (500 unless set) is kept under
MEDIA_ROOT/imports/cadres/, recorded as a ``CadreImport`` job and imported by a Celery task queued by
name after commit; the import page polls the job. The rule is that of the request: every row is
checked first, and nothing is written unless all rows are valid. The kept file is deleted when the
job ends, whatever the outcome. Smaller files are imported within the request, as before.
"""

import uuid
from dataclasses import dataclass, field

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record
from cadre_mgmt.uploads import WorkbookError

from . import importing
from .models import CadreImport

RUN_IMPORT_TASK = "cadres.run_import"
DEFAULT_ASYNC_ROWS = 500


def async_rows() -> int:
    """Files with more data rows than this are imported by a job."""
    return int(getattr(settings, "CADRE_IMPORT_ASYNC_ROWS", DEFAULT_ASYNC_ROWS))


@dataclass
class Queued:
    """What the upload page gets back when the file went to a job (it is "ok": nothing to show as an error)."""

    job: CadreImport
    errors: list = field(default_factory=list)
    ok: bool = True


def cadre_import_start(data: bytes, *, user, filename: str = "") -> "importing.ImportResult | Queued":
    """The upload page's import: small files at once, large ones as a job. WorkbookError for unreadable files."""
    if not user.can_edit_cadres:
        raise PermissionDenied
    rows = importing.read_rows(data)
    if len(rows) <= async_rows():
        return importing.import_rows(rows, user=user, filename=filename)
    return Queued(job=cadre_import_request(data, user=user, filename=filename, total_rows=len(rows)))


@transaction.atomic
def cadre_import_request(data: bytes, *, user, filename: str, total_rows: int) -> CadreImport:
    """Keep the file, record the job (audited) and queue it after commit."""
    job = CadreImport(requested_by=user, filename=filename[:200] or "cadres.xlsx", total_rows=total_rows)
    job.file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(data), save=False)
    job.full_clean()
    job.save()
    audit_record(
        actor=user,
        action=AuditRecord.Action.IMPORT,
        obj=job,
        summary=_("Cadre import queued: %(file)s, %(rows)s rows") % {"file": job.filename[:80], "rows": total_rows},
    )
    # By name: cadres.tasks imports this module.
    transaction.on_commit(lambda: current_app.tasks[RUN_IMPORT_TASK].delay(job.pk))
    return job


def _set(job: CadreImport, **values) -> None:
    CadreImport.objects.filter(pk=job.pk).update(**values)


def _run(job: CadreImport):
    user = job.requested_by
    if not user.can_edit_cadres:
        raise PermissionDenied
    with job.file.open("rb") as handle:
        data = handle.read()
    rows = importing.read_rows(data)
    return importing.import_rows(
        rows,
        user=user,
        filename=job.filename,
        progress=lambda done, total: _set(job, progress=min(49, done * 50 // max(total, 1))),
        writing=lambda: _set(job, status=CadreImport.Status.WRITING, progress=50),
    )


def cadre_import_run(*, job_id: int) -> CadreImport:
    """The job. Safe to run twice: a finished job is left as it is; an interrupted one starts again."""
    job = CadreImport.objects.select_related("requested_by").get(pk=job_id)
    if not job.is_running:
        return job
    _set(job, status=CadreImport.Status.CHECKING, progress=0)
    outcome = {"status": CadreImport.Status.FAILED, "finished_at": timezone.now()}
    try:
        result = _run(job)
    except WorkbookError as exc:
        outcome["error"] = str(exc)[:300]
    except PermissionDenied:
        outcome["error"] = _("You may no longer import cadres; nothing was imported.")
    except (FileNotFoundError, ValueError):
        outcome["error"] = _("The uploaded file is no longer there; upload it again.")
    except Exception:
        outcome["error"] = _("The import stopped on an unexpected error; nothing was imported. Upload the file again.")
        raise
    else:
        if result.errors:
            outcome["row_errors"] = [[error.row, error.column, str(error.message)] for error in result.errors]
        else:
            outcome.update(status=CadreImport.Status.DONE, progress=100, **_counts(result))
    finally:
        _set(job, **outcome)
        job.file.delete(save=False)
        _set(job, file="")
    job.refresh_from_db()
    return job


def _counts(result) -> dict:
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


def job_result(job: CadreImport) -> importing.ImportResult:
    """The job's outcome in the shape of the request's (``includes/import_errors.html`` shows either)."""
    errors = [importing.RowError(row, column, message) for row, column, message in job.row_errors]
    return importing.ImportResult(errors=errors, **_counts(job))
