"""On PostgreSQL the database itself refuses to change an audit row, or to delete one younger
than 180 days (RETENTION_DAYS, written out here as migrations are frozen in time): whatever
connects with the application's role (a shell, a script, a bug) cannot rewrite the log.
SQLite (development, tests) has only the application's guards (audit.models).

TRUNCATE is not refused: it needs the table's owner, and the test runner empties tables with it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_event_protect() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit events cannot be changed (id %)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.at > now() - interval '180 days' THEN
        RAISE EXCEPTION 'audit events younger than 180 days cannot be deleted (id %)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_protect
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_protect();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_protect ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_protect();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # no parameters: the % in RAISE stays as it is

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
