"""Text reuse on PostgreSQL: the pg_trgm extension and a GIN trigram index on clause text.

statements.similarity finds the clauses that contain (approximately) a sentence of a given clause
with pg_trgm's ``%>`` operator (word similarity), which this index serves. SQLite has no pg_trgm,
so there the migration does nothing and statements.similarity compares word shingles in Python.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS clause_text_trgm_idx ON statements_clause USING GIN (text gin_trgm_ops)",
]
# The extension stays: other objects may use it, and dropping it needs more rights than creating it.
REVERSE = ["DROP INDEX IF EXISTS clause_text_trgm_idx"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("statements", "0004_clause_search")]

    operations = [migrations.RunPython(run(FORWARD), run(REVERSE), elidable=False)]
