"""Review batches record when a worker started them, and a beat entry (every 10 minutes) queues again the
batches lost with their worker (issue 16 item 3)."""

from django.db import migrations, models

REQUEUE_NAME = "职级：重新排队中断的晋升评审批次"
REQUEUE_TASK = "ranks.requeue_lost_review_batches"


def add_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    PeriodicTask.objects.get_or_create(name=REQUEUE_NAME, defaults={"task": REQUEUE_TASK, "interval": every, "enabled": True})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=REQUEUE_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ranks", "0013_merge_rounds_and_reversals"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewbatch",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="started at"),
        ),
        migrations.RunPython(add_schedule, remove_schedule),
    ]
