"""Open tickets, newest activity first: the order every inbox view pages in.

At production size (`python -m bench`: 500,000 tickets, ~20,000 open) the inbox views
that filter through a join or an OR (view=team, view=unassigned, store staff's reach)
walked every open ticket before sorting: view=team took ~200 ms and store staff's
view=all ~740 ms. With this partial index PostgreSQL reads open tickets in inbox order
and stops after one page (team ~1 ms of SQL). Kept out of the model state like
0002_name_trigram; built CONCURRENTLY on PostgreSQL so a live table is not locked.
"""

from django.db import migrations

NAME = "ticket_open_inbox"
# helpdesk.tickets.models.OPEN_STATUSES, in the same order as the queries list them.
OPEN_STATUSES = ("new", "open", "pending", "on_hold")


def _concurrently(schema_editor) -> str:
    return "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""


def forwards(apps, schema_editor):
    statuses = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
    schema_editor.execute(
        f"CREATE INDEX {_concurrently(schema_editor)}IF NOT EXISTS {NAME} "
        f"ON tickets_ticket (updated_at DESC, id DESC) WHERE status IN ({statuses})"
    )


def backwards(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX {_concurrently(schema_editor)}IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
