"""Celery tasks of the ranks app: thin, one service each, safe to run twice.

The services queue these by name after commit (``current_app.tasks[...]``), so this module imports the
services and no service imports it.
"""

from celery import shared_task
from django.utils import timezone

from .appeals.services import appeals_flag_overdue
from .review.services import review_batch_run, review_batches_requeue_lost
from .review.services import start_scheduled_review as start_review
from .rosters.exports import roster_export_run, roster_exports_expire
from .rosters.services import generate_current_roster


@shared_task(name="ranks.generate_monthly_roster")
def generate_monthly_roster():
    """Beat job, the 1st of each month: fix this month's roster (a locked roster is left alone)."""
    roster = generate_current_roster()
    return f"{roster.month:%Y-%m}: {roster.line_count}"


# A roster export's hard limit in the worker, a little above the soft one the job turns into a Chinese
# "failed, start it again" (the row's own time limit, for a lost worker, is exports.export_time_limit).
EXPORT_SOFT_LIMIT = 10 * 60


@shared_task(
    name="ranks.run_roster_export",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=EXPORT_SOFT_LIMIT,
    time_limit=EXPORT_SOFT_LIMIT + 60,
)
def run_roster_export(export_id):
    """Safe to run twice: a redelivery after a lost worker builds the workbook again from the start."""
    roster_export_run(export_id=export_id)


@shared_task(name="ranks.expire_roster_exports")
def expire_roster_exports():
    """Beat job, every 5 minutes: an export waiting or running past its time limit is marked failed."""
    return f"{roster_exports_expire()} export(s) past their time limit"


@shared_task(name="ranks.run_review_batch")
def run_review_batch(review_id, township_id):
    """One township of a promotion review. Safe to run twice and after an interrupted attempt."""
    batch = review_batch_run(review_id=review_id, township_id=township_id)
    return f"{review_id}/{township_id}: {batch.state}"


@shared_task(name="ranks.requeue_lost_review_batches")
def requeue_lost_review_batches():
    """Beat job, every 10 minutes: a review batch lost with its worker is queued again (safe to run twice)."""
    return f"{review_batches_requeue_lost()} lost review batch(es) queued again"


@shared_task(name="ranks.start_scheduled_review")
def start_scheduled_review():
    """Beat job, 1 February: the promotion review of the year just ended (nothing if one already started)."""
    review = start_review()
    return f"review #{review.pk}" if review is not None else "not started"


@shared_task(name="ranks.flag_overdue_appeals")
def flag_overdue_appeals():
    """Beat job, daily: flag the appeals past the date of their due step (DESIGN §12)."""
    return len(appeals_flag_overdue(today=timezone.localdate()))
