from celery import shared_task

from .evaluation import services as evaluation_services


@shared_task(name="assessments.close_due_evaluations")
def close_due_evaluations():
    """Daily: villagers' evaluations past their closing date are closed (results frozen and applied once)."""
    return evaluation_services.rounds_close_due()
