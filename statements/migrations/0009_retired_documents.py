"""Retired documents (issue 14): a deleted document keeps its slug, record and clauses, and its citations answer 410.

RetiredClause's citation becomes its own (document_slug, eid), since its document may be retired too: the slug is
filled in from the document for the rows there are, then required.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill_document_slugs(apps, schema_editor):
    RetiredClause = apps.get_model("statements", "RetiredClause")
    for retired in RetiredClause.objects.select_related("document"):
        retired.document_slug = retired.document.slug
        retired.save(update_fields=["document_slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0008_shingle_md5"),
    ]

    operations = [
        migrations.CreateModel(
            name="RetiredDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "slug",
                    models.SlugField(
                        help_text="The retired slug; never given to a new document.", max_length=120, unique=True
                    ),
                ),
                ("title", models.CharField(help_text="The document's title when it was retired.", max_length=500)),
                ("kind", models.CharField(help_text="What kind of document it was.", max_length=32)),
                ("date", models.DateField(help_text="The document's date.")),
                (
                    "record",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text="The document's own fields, parties and signatories when it was retired.",
                    ),
                ),
                (
                    "successor",
                    models.SlugField(
                        blank=True,
                        help_text="The slug of the document that replaces it, if any: the 410 answer for its citations points there.",
                        max_length=120,
                    ),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True, help_text="Why it was retired, for readers (shown with the 410 answer)."
                    ),
                ),
                ("retired_at", models.DateTimeField(auto_now_add=True, help_text="When it was retired.")),
            ],
            options={
                "ordering": ["-retired_at", "slug"],
            },
        ),
        migrations.AlterModelOptions(
            name="retiredclause",
            options={"ordering": ["document_slug", "eid"]},
        ),
        migrations.RemoveConstraint(
            model_name="retiredclause",
            name="retiredclause_unique_eid",
        ),
        migrations.AddField(
            model_name="retiredclause",
            name="document_slug",
            field=models.SlugField(
                help_text="The slug of the document it was in: the first half of its citation, for good.",
                max_length=120,
                null=True,
            ),
        ),
        migrations.RunPython(fill_document_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="retiredclause",
            name="document_slug",
            field=models.SlugField(
                help_text="The slug of the document it was in: the first half of its citation, for good.",
                max_length=120,
            ),
        ),
        migrations.AlterField(
            model_name="retiredclause",
            name="document",
            field=models.ForeignKey(
                blank=True,
                help_text="The document it was in, while that document exists (empty once the document is retired too).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="retired_clauses",
                to="statements.document",
            ),
        ),
        migrations.AlterField(
            model_name="retiredclause",
            name="retired_at",
            field=models.DateTimeField(auto_now_add=True, help_text="When it was retired."),
        ),
        migrations.AddConstraint(
            model_name="retiredclause",
            constraint=models.UniqueConstraint(fields=("document_slug", "eid"), name="retiredclause_unique_citation"),
        ),
    ]
