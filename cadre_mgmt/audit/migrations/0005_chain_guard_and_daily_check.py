"""The append-only trigger also keeps the chain columns, and the chain is checked every night.

The trigger's one permitted UPDATE (ON DELETE SET NULL of a deleted account) now also requires the chain
columns unchanged. The daily check (audit.verify, editable in the admin like the prune) stores its result
for the audit page.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION audit_auditrecord_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.at < now() - interval '180 days' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit record % is younger than 180 days and cannot be deleted', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND (NEW.id, NEW.at, NEW.actor_name, NEW.ip_address, NEW.action, NEW.object_type,
            NEW.object_id, NEW.object_repr, NEW.summary, NEW.changes,
            NEW.chain_day, NEW.chain_partition, NEW.chain_seq, NEW.chain_hash)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_name, OLD.ip_address, OLD.action, OLD.object_type,
            OLD.object_id, OLD.object_repr, OLD.summary, OLD.changes,
            OLD.chain_day, OLD.chain_partition, OLD.chain_seq, OLD.chain_hash) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit record % is append-only and cannot be changed', OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""

NAME = "审计日志：每日校验防篡改哈希链"
TASK = "audit.verify"


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def add_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "crontab": schedule, "enabled": True})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_audit_hash_chain")]

    operations = [
        migrations.RunPython(guard, migrations.RunPython.noop),
        migrations.RunPython(add_schedule, remove_schedule),
    ]
