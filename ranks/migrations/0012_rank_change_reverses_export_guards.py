"""Corrections name the change they reverse, once (DESIGN §3); roster export jobs have a start time for
their time limit, at most one running per roster, and a beat entry that fails the jobs past their limit."""

import django.db.models.deletion
from django.db import migrations, models

EXPIRE_NAME = "职级：结束超时的花名册导出"
EXPIRE_TASK = "ranks.expire_roster_exports"


def add_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(name=EXPIRE_NAME, defaults={"task": EXPIRE_TASK, "interval": every, "enabled": True})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=EXPIRE_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0004_post_in_rank_system"),
        ("ranks", "0010_append_only_history_guards"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="rankchange",
            name="reverses",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reversals",
                to="ranks.rankchange",
                verbose_name="reverses",
            ),
        ),
        migrations.AddConstraint(
            model_name="rankchange",
            constraint=models.UniqueConstraint(fields=("reverses",), name="rank_change_reversed_once"),
        ),
        migrations.AddConstraint(
            model_name="rankchange",
            constraint=models.CheckConstraint(
                condition=models.Q(("reverses__isnull", True), ("kind", "correction"), _connector="OR"),
                name="rank_change_only_a_correction_reverses",
            ),
        ),
        migrations.AddField(
            model_name="rosterexport",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="started at"),
        ),
        migrations.AddConstraint(
            model_name="rosterexport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["pending", "running"])),
                fields=("roster",),
                name="roster_export_one_running_per_roster",
            ),
        ),
        migrations.RunPython(add_schedule, remove_schedule),
    ]
