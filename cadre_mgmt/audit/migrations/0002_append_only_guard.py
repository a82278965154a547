"""The database itself refuses to change or delete audit records (PostgreSQL only).

UPDATE is refused except the one the database must allow: clearing the link to an account that
was deleted (ON DELETE SET NULL; the record keeps the user name). DELETE is refused for records
younger than 180 days, so only the pruning job (cadre_mgmt.audit.services.audit_prune, whose own
floor is 184 days) can remove anything. TRUNCATE is left to the database owner (test flushes use it).
SQLite, the local development database, has no such guard; the services never edit records.
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
            NEW.object_id, NEW.object_repr, NEW.summary, NEW.changes)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_name, OLD.ip_address, OLD.action, OLD.object_type,
            OLD.object_id, OLD.object_repr, OLD.summary, OLD.changes) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit record % is append-only and cannot be changed', OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_auditrecord_append_only
    BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION audit_auditrecord_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_auditrecord_append_only ON audit_auditrecord;
DROP FUNCTION IF EXISTS audit_auditrecord_append_only();
"""


def create_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # no params: the "%" are PL/pgSQL placeholders


def drop_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_guard, drop_guard, elidable=False)]
