"""The database itself keeps the rank history and locked rosters as they were (PostgreSQL only).

A rank change is never edited or deleted: a mistake is reversed by a new correction record
(ranks.services). A roster line of a locked roster is never edited or deleted: the roster is what
was paid. Lines of a draft roster stay free, because generating a draft again deletes and rewrites
its lines (ranks.services.roster_generate); an UPDATE that would move a line into a locked roster
is refused too. TRUNCATE is left to the database owner (test flushes use it).
SQLite, the local development database, has no such guard; the services never do these writes.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION ranks_rankchange_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rank change % is append-only and cannot be changed or deleted', OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ranks_rankchange_append_only
    BEFORE UPDATE OR DELETE ON ranks_rankchange
    FOR EACH ROW EXECUTE FUNCTION ranks_rankchange_append_only();

CREATE OR REPLACE FUNCTION ranks_rosterline_locked() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM ranks_roster WHERE id = OLD.roster_id AND status = 'locked')
       OR (TG_OP = 'UPDATE'
           AND EXISTS (SELECT 1 FROM ranks_roster WHERE id = NEW.roster_id AND status = 'locked')) THEN
        RAISE EXCEPTION 'roster line % belongs to a locked roster and cannot be changed or deleted', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ranks_rosterline_locked
    BEFORE UPDATE OR DELETE ON ranks_rosterline
    FOR EACH ROW EXECUTE FUNCTION ranks_rosterline_locked();
"""

DROP = """
DROP TRIGGER IF EXISTS ranks_rosterline_locked ON ranks_rosterline;
DROP FUNCTION IF EXISTS ranks_rosterline_locked();
DROP TRIGGER IF EXISTS ranks_rankchange_append_only ON ranks_rankchange;
DROP FUNCTION IF EXISTS ranks_rankchange_append_only();
"""


def create_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # no params: the "%" are PL/pgSQL placeholders


def drop_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("ranks", "0009_proposal_fewer_indexes")]
    operations = [migrations.RunPython(create_guards, drop_guards, elidable=False)]
