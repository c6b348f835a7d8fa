"""A GiST trigram index on upper(name) for the counter's typo-tolerant name lookup.

The GIN index of 0002 finds every name similar to the query and the database then
computes and sorts all their distances (thousands of rows for a common first name). A
GiST index can hand out names nearest first (`ORDER BY upper(name) <->> %s LIMIT n`),
so only the few shown are read. `siglen=256` keeps a name's trigrams exact instead of
a lossy signature: measured at 200,000 customers, p95 23 ms against 35 ms with the
default signature (and 34 ms for the GIN path). The GIN index stays for substring
search (`icontains`), which it serves better.

PostgreSQL only; built CONCURRENTLY so customers keep arriving while it is built.
"""

from django.db import migrations

INDEX = "customer_name_trgm_gist"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # A concurrent build that failed leaves an invalid index behind: build it again.
    schema_editor.execute(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        f"WHERE c.relname = '{INDEX}' AND NOT i.indisvalid) THEN DROP INDEX {INDEX}; END IF; END $$"
    )
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON customers_customer "
        "USING gist (upper(name) gist_trgm_ops(siglen=256))"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("customers", "0002_name_trigram")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
