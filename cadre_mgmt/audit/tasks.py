"""Audit jobs: thin, one service each, safe to run twice."""

from celery import shared_task

from .services import AUDIT_MIN_KEEP_DAYS, audit_prune, audit_verify


@shared_task(name="audit.prune")
def audit_prune_task(keep_days=AUDIT_MIN_KEEP_DAYS):
    """Monthly beat job; ``keep_days`` is editable in the schedule's arguments, never below the floor."""
    return audit_prune(keep_days=keep_days)


@shared_task(name="audit.verify")
def audit_verify_task():
    """Nightly beat job: walk the hash chain; the audit page shows the county administrator the result."""
    result = audit_verify()
    return {"ok": result.ok, "checked": result.checked, "first_broken": result.first_broken}
