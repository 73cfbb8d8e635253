"""ImportedSource: the digests of the file each document was last imported from (models/imported.py)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0015_clause_facets"),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportedSource",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        help_text="The document the file gave.",
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="imported_source",
                        serialize=False,
                        to="statements.document",
                    ),
                ),
                (
                    "file_digest",
                    models.CharField(
                        db_index=True,
                        help_text="SHA-256 of the file's bytes, its format and the reader's fingerprint (importing.digests).",
                        max_length=64,
                    ),
                ),
                (
                    "rows_digest",
                    models.CharField(
                        help_text="SHA-256 of the document's rows as that file gives them (fields, sections, clauses).",
                        max_length=64,
                    ),
                ),
                (
                    "warnings",
                    models.JSONField(
                        blank=True, default=list, help_text="The warnings reading it gave: [line, kind, text]."
                    ),
                ),
                ("read_at", models.DateTimeField(auto_now=True, help_text="When an import last read the file.")),
            ],
            options={
                "verbose_name": "imported source",
            },
        ),
    ]
