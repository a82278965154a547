from django.db import migrations

# Daily supervision jobs, editable by the county administrator in the admin (django-celery-beat).
JOBS = [
    ("监督：标记超期信访件", "supervision.flag_overdue_petitions", "30", "6"),
    ("监督：标记村务公开缺失或迟延", "supervision.flag_disclosures", "45", "6"),
]


def add_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in JOBS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": schedule, "enabled": True})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=[task for _, task, _, _ in JOBS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0002_petitions_inspections_sanctions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedules, remove_schedules)]
