"""On PostgreSQL the database itself keeps the access log append-only.

A trigger refuses every DELETE and every UPDATE of an entry but one: the scrub of the
right to erasure (``person_purge``), which sets the reference to 'ERASED' and the detail
to '' and changes nothing else. So neither a bug, nor a raw query, nor SQL slipped into
one can rewrite who saw what. TRUNCATE is not covered (the test suite and ``flush`` empty
tables with it). SQLite, the embedded single-user default, has no such guard: there the
model's own refusal (``AccessLogQuerySet``) and the admin's are the guard.
"""

from django.db import migrations

FUNCTION = "accounts_access_log_append_only"
TRIGGER = "access_log_append_only"


def trigger_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("accounts", "AccessLogEntry")._meta.db_table)
    schema_editor.execute(
        f"""
        CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE'
               AND NEW.reference = 'ERASED' AND NEW.detail = ''
               AND (to_jsonb(NEW) - 'reference' - 'detail')
                   = (to_jsonb(OLD) - 'reference' - 'detail')
            THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'The access log is append-only: % refused.', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$;
        CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
        """,
        params=None,  # no placeholders: the '%' above is PL/pgSQL's own
    )


def trigger_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("accounts", "AccessLogEntry")._meta.db_table)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_access_log_refused_action_and_protected_user"),
    ]

    operations = [migrations.RunPython(trigger_create, trigger_drop)]
