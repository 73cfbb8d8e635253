"""ClauseFacet's rows carry their clause's position, with an index (facet, value, document, position): a filtered page
finds where its run of a document's clauses starts, at its offset among the matching ones, with an index-only scan of
those alone (statements.models.facets; statements.api.v1.rows.FACET_SKIP_SQL, FACET_PAIR_SLICE_SQL), where it read
every clause of the document up to it and checked each one's topics or parties.

The triggers that write the rows now write the position too, and the one that followed a clause to another document
follows its position as well (statements.models.placement moves clauses; a re-import renumbers them). At a million
clauses PostgreSQL rewrites the table once (6.2 million rows) and builds the index.
"""

import importlib

from django.db import migrations, models

from statements.migrations._sql import run_sql
from statements.models import facets

created_by_0015 = importlib.import_module("statements.migrations.0015_clause_facets")


def forward():
    return {
        "postgresql": [*facets.FILL_POSITIONS["postgresql"], facets.POSITION_INDEX, *facets.postgresql_triggers()],
        "sqlite": [*facets.FILL_POSITIONS["sqlite"], facets.POSITION_INDEX, *facets.sqlite_triggers()],
    }


def backward():
    """The column and index dropped, and 0015's triggers as it made them (its functions and triggers dropped and made
    again; the rows it would add are there already)."""
    undone = {
        "postgresql": [
            "DROP TRIGGER IF EXISTS statements_clause_facets_placed ON statements_clause",
            "DROP INDEX clausefacet_position",
            "ALTER TABLE statements_clausefacet DROP COLUMN position",
        ],
        "sqlite": [
            "DROP TRIGGER IF EXISTS statements_clause_facets_placed",
            "DROP INDEX clausefacet_position",
            "ALTER TABLE statements_clausefacet DROP COLUMN position",
        ],
    }
    made = {"postgresql": created_by_0015.postgresql(), "sqlite": created_by_0015.sqlite()}
    return {
        vendor: [*statements, *created_by_0015.drop()[vendor], *made[vendor]] for vendor, statements in undone.items()
    }


class Migration(migrations.Migration):
    dependencies = [("statements", "0021_clause_link_ids")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="clausefacet",
                    name="position",
                    field=models.IntegerField(default=0, help_text="The clause's position in its document."),
                    preserve_default=False,
                ),
                migrations.AddIndex(
                    model_name="clausefacet",
                    index=models.Index(
                        fields=["facet", "value_id", "document_id", "position"], name="clausefacet_position"
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(
                    run_sql(forward(), missing="ClauseFacet's positions: {vendor}?"),
                    run_sql(backward()),
                    elidable=False,
                )
            ],
        )
    ]
