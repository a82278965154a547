"""Celery tasks of the cadre files: thin, one service each, safe to run twice."""

from celery import shared_task

from .import_jobs import cadre_import_run


@shared_task(name="cadres.run_import")
def run_import(job_id):
    """A cadre import over the request's row limit (all rows or none)."""
    job = cadre_import_run(job_id=job_id)
    return f"{job.pk}: {job.status}"
