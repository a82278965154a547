"""Roster exports: small ones built in the request, large ones run as a job the roster page polls."""

import datetime

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_update

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


ACTIVE = (RosterExport.Status.PENDING, RosterExport.Status.RUNNING)


def export_time_limit() -> datetime.timedelta:
    """How long an export job may wait and run before it is marked failed (a lost worker, a stuck queue)."""
    return datetime.timedelta(seconds=getattr(settings, "ROSTER_EXPORT_TIME_LIMIT_SECONDS", 15 * 60))


def _timed_out_message() -> str:
    minutes = int(export_time_limit().total_seconds() // 60)
    return _("The export did not finish within %(minutes)s minutes (the job was lost or stopped); start it again.") % {
        "minutes": minutes
    }


def roster_exports_expire(*, now: datetime.datetime | None = None) -> int:
    """The beat job: mark failed every export waiting or running past its time limit; returns how many."""
    cutoff = (now or timezone.now()) - export_time_limit()
    stale = RosterExport.objects.filter(status__in=ACTIVE).filter(
        Q(started_at__lt=cutoff) | Q(started_at__isnull=True, created_at__lt=cutoff)
    )
    return stale.update(status=RosterExport.Status.FAILED, error=_timed_out_message()[:300], finished_at=timezone.now())


def _queue(export):
    # By name, not by importing ranks.tasks (which imports this module).
    transaction.on_commit(lambda: current_app.tasks[RUN_EXPORT_TASK].delay(export.pk))


@transaction.atomic
def roster_export_request(*, roster, user) -> RosterExport:
    """Queue a large export as a job; the page polls it and offers the file when it is ready.

    One roster has at most one export waiting or running (roster_export_one_running_per_roster): the
    requester's own running export is returned again; anyone else's is refused with a message."""
    roster_exports_expire()
    running = RosterExport.objects.filter(roster=roster, status__in=ACTIVE).first()
    if running is not None:
        if running.requested_by_id == user.pk and running.township_id == _export_scope(user):
            return running
        raise ValidationError(_("Another export of this roster is being prepared; try again when it is ready."))
    export = RosterExport(
        roster=roster,
        requested_by=user,
        township_id=_export_scope(user),
        full_id_numbers=user.can_see_full_id_numbers,
        started_at=timezone.now(),
    )
    export.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            export.save()
    except IntegrityError as exc:  # another request queued one at the same moment
        raise ValidationError(_("Another export of this roster is being prepared; try again when it is ready.")) from exc
    audit_record(actor=user, action=AuditRecord.Action.EXPORT, obj=roster, summary=_("Roster export requested"))
    _queue(export)
    return export


@transaction.atomic
def roster_export_restart(*, export, user) -> RosterExport:
    """Start a failed export again (its requester): the same job row, queued anew."""
    export = RosterExport.objects.select_for_update().get(pk=export.pk, requested_by=user)
    if export.status != RosterExport.Status.FAILED:
        raise ValidationError(_("Only a failed export can be started again."))
    if RosterExport.objects.filter(roster_id=export.roster_id, status__in=ACTIVE).exists():
        raise ValidationError(_("Another export of this roster is being prepared; try again when it is ready."))
    audited_update(
        export,
        actor=user,
        values={"status": RosterExport.Status.PENDING, "progress": 0, "error": "", "started_at": timezone.now()},
        summary=_("Roster export started again"),
        clean=lambda: export.full_clean(validate_constraints=False),
    )
    _queue(export)
    return export


def roster_export_run(*, export_id: int) -> RosterExport | None:
    """The export job. Safe to run twice and after a lost worker: a finished or failed export is left as it
    is (a failed one is restarted by its requester), a waiting or running one is built again from the start."""
    export = RosterExport.objects.select_related("roster").get(pk=export_id)
    if export.status not in ACTIVE:
        return export
    RosterExport.objects.filter(pk=export.pk).update(status=RosterExport.Status.RUNNING, progress=0)

    def progress(done, total):
        RosterExport.objects.filter(pk=export.pk).update(progress=min(99, done * 100 // max(total, 1)), total_rows=total)

    try:
        content, rows = roster_workbook(
            roster=export.roster, township_id=export.township_id, full_id_numbers=export.full_id_numbers, progress=progress
        )
    except SoftTimeLimitExceeded:
        RosterExport.objects.filter(pk=export.pk).update(status=RosterExport.Status.FAILED, error=_timed_out_message()[:300])
        raise
    except Exception as exc:
        error = _("The export failed: %(error)s") % {"error": exc}
        RosterExport.objects.filter(pk=export.pk).update(status=RosterExport.Status.FAILED, error=error[:300])
        raise
    with transaction.atomic():
        export = RosterExport.objects.select_for_update().get(pk=export.pk)
        if export.status != RosterExport.Status.RUNNING:
            return export  # marked failed past its limit meanwhile: the requester starts it again
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
