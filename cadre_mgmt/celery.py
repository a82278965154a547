"""Celery application.

The broker is Redis when CELERY_BROKER_URL is set; otherwise settings make tasks run
eagerly in-process. Schedules live in the database (django-celery-beat), so the county
administrator edits them in the admin, not in code.

Delivery options come from settings (``CELERY_*``): late acknowledgement, requeue on a lost worker,
prefetch 1, soft/hard time limits and the broker's visibility timeout (longer than the hard limit) —
so a task whose worker dies is run again by another worker, and none runs forever.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre_mgmt.settings")

app = Celery("cadre_mgmt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
