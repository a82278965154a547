"""Audit jobs: thin, one service each, safe to run twice."""

from celery import shared_task

from .services import AUDIT_MIN_KEEP_DAYS, audit_prune


@shared_task(name="audit.prune")
def audit_prune_task(keep_days=AUDIT_MIN_KEEP_DAYS):
    """Monthly beat job; ``keep_days`` is editable in the schedule's arguments, never below the floor."""
    return audit_prune(keep_days=keep_days)
