"""The single-column indexes Django gave six foreign keys are dropped: each table's unique constraint on (that key,
...) has an index that leads with the same column and answers the same lookups (a document's clauses, a clause's
links), so these were written on every insert and never needed. A bulk import wrote about 30,000 entries into them
for the corpus's 3,386 clauses (README, "Bulk import").

The indexes are dropped by name (DROP INDEX: no row is read or rewritten, cheap at any size); Django's AlterField
would, on SQLite, remake each table, and with it drop the triggers the migrations put on it (facets, data version,
the full-text index).
"""

import django.db.models.deletion
from django.db import migrations, models

# (model, field, related_name, help_text, table, index): the index Django named for (table, column)
COVERED = [
    (
        "clause",
        "document",
        "clauses",
        "The document; always the section's document (enforced by the database).",
        "statements_clause",
        "statements_clause_document_id_33cbb810",
    ),
    (
        "clausetopic",
        "clause",
        "topic_links",
        "The clause.",
        "statements_clausetopic",
        "statements_clausetopic_clause_id_6196117c",
    ),
    (
        "clauseparty",
        "clause",
        "party_links",
        "The clause.",
        "statements_clauseparty",
        "statements_clauseparty_clause_id_6e0ae59b",
    ),
    (
        "documentparty",
        "document",
        "party_links",
        "The document.",
        "statements_document_parties",
        "statements_document_parties_document_id_7538ff93",
    ),
    (
        "section",
        "document",
        "sections",
        "The document this section is part of.",
        "statements_section",
        "statements_section_document_id_04c2209f",
    ),
    (
        "signatory",
        "document",
        "signatories",
        "The document signed.",
        "statements_signatory",
        "statements_signatory_document_id_48d9635f",
    ),
]
TARGETS = {"document": "statements.document", "clause": "statements.clause"}
COLUMNS = {"document": "document_id", "clause": "clause_id"}


class Migration(migrations.Migration):
    dependencies = [("statements", "0019_document_party_provenance")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {index}",
                    reverse_sql=f"CREATE INDEX IF NOT EXISTS {index} ON {table} ({COLUMNS[field]})",
                )
                for _, field, _, _, table, index in COVERED
            ],
            state_operations=[
                migrations.AlterField(
                    model_name=model,
                    name=field,
                    field=models.ForeignKey(
                        db_index=False,
                        help_text=help_text,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name=related_name,
                        to=TARGETS[field],
                    ),
                )
                for model, field, related_name, help_text, _, _ in COVERED
            ],
        )
    ]
