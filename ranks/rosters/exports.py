"""Roster exports: small ones built in the request, large ones run as a job the roster page polls."""

from celery import current_app
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record

from ..models import RosterExport, RosterLine
from .workbook import roster_workbook

EXPORT_ASYNC_ROWS = 3000
RUN_EXPORT_TASK = "ranks.run_roster_export"


def can_export_rosters(user) -> bool:
    """County users export every township; a township user only their own (and needs one)."""
    return user.sees_all_townships or user.township_id is not None


def _export_scope(user):
    if user.sees_all_townships:
        return None
    if user.township_id is None:
        raise PermissionDenied
    return user.township_id


def roster_export_needs_job(*, roster, user):
    township_id = _export_scope(user)
    lines = RosterLine.objects.filter(roster=roster)
    if township_id is not None:
        lines = lines.filter(township_id=township_id)
    return lines.count() > EXPORT_ASYNC_ROWS


def roster_export_now(*, roster, user) -> bytes:
    """The workbook of the lines the user may read, built in the request (small rosters)."""
    township_id = _export_scope(user)
    content, rows = roster_workbook(roster=roster, township_id=township_id, full_id_numbers=user.can_see_full_id_numbers)
    audit_record(
        actor=user,
        action=AuditRecord.Action.EXPORT,
        obj=roster,
        summary=_("Roster exported: %(rows)s lines") % {"rows": rows},
    )
    return content


@transaction.atomic
def roster_export_request(*, roster, user):
    """Queue a large export as a job; the page polls it and offers the file when it is ready."""
    export = RosterExport(
        roster=roster, requested_by=user, township_id=_export_scope(user), full_id_numbers=user.can_see_full_id_numbers
    )
    export.full_clean()
    export.save()
    audit_record(actor=user, action=AuditRecord.Action.EXPORT, obj=roster, summary=_("Roster export requested"))
    # By name, not by importing ranks.tasks (which imports this module).
    transaction.on_commit(lambda: current_app.tasks[RUN_EXPORT_TASK].delay(export.pk))
    return export


def roster_export_run(*, export_id):
    """The export job. Safe to run twice: a finished export is left as it is."""
    export = RosterExport.objects.select_related("roster").get(pk=export_id)
    if export.status == RosterExport.Status.DONE:
        return export
    RosterExport.objects.filter(pk=export.pk).update(status=RosterExport.Status.RUNNING, progress=0)

    def progress(done, total):
        RosterExport.objects.filter(pk=export.pk).update(progress=min(99, done * 100 // max(total, 1)), total_rows=total)

    try:
        content, rows = roster_workbook(
            roster=export.roster, township_id=export.township_id, full_id_numbers=export.full_id_numbers, progress=progress
        )
    except Exception as exc:
        RosterExport.objects.filter(pk=export.pk).update(status=RosterExport.Status.FAILED, error=str(exc)[:300])
        raise
    with transaction.atomic():
        export.refresh_from_db()
        export.file.save(f"roster-{export.roster.month:%Y-%m}-{export.pk}.xlsx", ContentFile(content), save=False)
        export.status = RosterExport.Status.DONE
        export.progress = 100
        export.total_rows = rows
        export.finished_at = timezone.now()
        export.save()
        audit_record(
            actor=export.requested_by,
            action=AuditRecord.Action.EXPORT,
            obj=export.roster,
            summary=_("Roster exported: %(rows)s lines") % {"rows": rows},
        )
    return export
