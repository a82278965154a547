"""Celery tasks of the ranks app: thin, one service each, safe to run twice."""

from celery import shared_task


@shared_task(name="ranks.generate_monthly_roster")
def generate_monthly_roster():
    """Beat job, the 1st of each month: fix this month's roster (a locked roster is left alone)."""
    from .services import generate_current_roster

    roster = generate_current_roster()
    return f"{roster.month:%Y-%m}: {roster.line_count}"


@shared_task(name="ranks.run_roster_export")
def run_roster_export(export_id):
    from .services import roster_export_run

    roster_export_run(export_id=export_id)
