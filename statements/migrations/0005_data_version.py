"""The data version: one row bumped by database triggers on every write to the tables the API serves.

Triggers rather than Django signals, because the importer and generate_corpus write with bulk_create
and COPY, which send no signals; a trigger sees every writer, in the writer's transaction. On
PostgreSQL one statement-level trigger per table (a COPY of a million rows bumps it once); SQLite has
only row-level triggers, which is fine for its development-sized data. The bump is an upsert, so a
test-database flush that empties the table does not break it.
"""

from django.db import migrations, models

TABLES = [
    "statements_party",
    "statements_topic",
    "statements_document",
    "statements_document_parties",
    "statements_signatory",
    "statements_section",
    "statements_clause",
    "statements_clausetopic",
    "statements_clauseparty",
    "statements_retiredclause",
]

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION statements_bump_data_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO statements_dataversion (id, version, changed_at) VALUES (1, 1, clock_timestamp())
    ON CONFLICT (id) DO UPDATE SET version = statements_dataversion.version + 1, changed_at = clock_timestamp();
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_BUMP = (
    "INSERT INTO statements_dataversion (id, version, changed_at) "
    "VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) "
    "ON CONFLICT (id) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at;"
)
SQLITE_OPERATIONS = ["INSERT", "UPDATE", "DELETE"]


def create_triggers(schema_editor, tables):
    """The triggers that bump the data version on every write to ``tables`` (later migrations add tables)."""
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in tables:
            execute(
                f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION statements_bump_data_version()"
            )
    elif schema_editor.connection.vendor == "sqlite":
        for table in tables:
            for operation in SQLITE_OPERATIONS:
                execute(
                    f"CREATE TRIGGER {table}_data_version_{operation.lower()} AFTER {operation} ON {table} "
                    f"BEGIN {SQLITE_BUMP} END"
                )
    else:
        raise NotImplementedError(f"No data-version triggers for {schema_editor.connection.vendor}; add them here.")


def drop_triggers(schema_editor, tables):
    execute = schema_editor.execute
    for table in tables:
        if schema_editor.connection.vendor == "postgresql":
            execute(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
        else:
            for operation in SQLITE_OPERATIONS:
                execute(f"DROP TRIGGER IF EXISTS {table}_data_version_{operation.lower()}")


def forward(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        execute(POSTGRESQL_FUNCTION)
    create_triggers(schema_editor, TABLES)
    if schema_editor.connection.vendor == "postgresql":
        execute("INSERT INTO statements_dataversion (id, version, changed_at) VALUES (1, 0, clock_timestamp())")
    else:
        execute(SQLITE_BUMP.replace("VALUES (1, 1,", "VALUES (1, 0,"))


def reverse(apps, schema_editor):
    drop_triggers(schema_editor, TABLES)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS statements_bump_data_version()")


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0004_clause_search"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "version",
                    models.BigIntegerField(default=0, help_text="Bumped by every write to the published data."),
                ),
                ("changed_at", models.DateTimeField(help_text="When the published data last changed.")),
            ],
            options={
                "constraints": [models.CheckConstraint(condition=models.Q(("id", 1)), name="dataversion_single_row")],
            },
        ),
        migrations.RunPython(forward, reverse, elidable=False),
    ]
