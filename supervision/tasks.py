"""Daily supervision jobs. Thin: each calls one service, and each is safe to run twice."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="supervision.flag_overdue_petitions")
def flag_overdue_petitions():
    return len(services.petitions_flag_overdue(today=timezone.localdate()))


@shared_task(name="supervision.flag_disclosures")
def flag_disclosures():
    return services.disclosures_flag(today=timezone.localdate())
