"""A document's parties and signatories record who made them, as clause links do (statements.models.provenance).

Document.parties was a plain many-to-many field; its table (statements_document_parties) becomes the through model
DocumentParty's, with every row kept, and gains ``assigned_by``, ``rule`` and ``created_at``; so does Signatory.

Which existing links are a curator's, which a machine's: every link is a curator's (the seed's fixtures, the text
format's ``Parties:`` headers, the admin) but the parties of a document imported from a file that are exactly what
the Markdown reader derives from its source URL's site, its title and its opening paragraph
(``front_matter.document_parties``): those were the importer's guess, not anyone's assertion, so they become
machine-assigned with the reason ("document parties: publisher / title / text"), open to review. Marking a guess as
a curator's would freeze it for good (an import never changes a curator's link); marking a curator's assertion as a
guess would let a re-import drop it. So the test is strict: the whole set must match what the reader derives (a
curator who added or removed one party in the admin, or a header that says anything else, keeps every link a
curator's). The next import of a file re-reads it (the importer's fingerprint changed) and replaces the machine's
parties by the attribution's. Every signatory so far came from a signature block or a curator: a curator's.
"""

import importlib

from django.db import migrations, models
from django.utils import timezone

data_version = importlib.import_module("statements.migrations.0005_data_version")
TABLES = ["statements_document_parties", "statements_signatory"]
RULE = "rule"


def classify_links(apps, schema_editor):
    from statements.importing.drafts import party_rule
    from statements.importing.front_matter import document_parties, publisher_of
    from statements.vocabulary import PartyVocabulary

    Document = apps.get_model("statements", "Document")
    DocumentParty = apps.get_model("statements", "DocumentParty")
    Clause = apps.get_model("statements", "Clause")
    documents = Document.objects.filter(imported_source__isnull=False)
    if not documents.exists():
        return
    vocabulary = PartyVocabulary.default()
    stored = {}
    for document_id, code in DocumentParty.objects.filter(document__in=documents).values_list(
        "document_id", "party__code"
    ):
        stored.setdefault(document_id, set()).add(code)
    openings = dict(Clause.objects.filter(document__in=documents, position=1).values_list("document_id", "text"))
    for document_id, title, url in documents.values_list("id", "title", "source_url"):
        site = publisher_of(url) if url else None
        derived = document_parties(title, openings.get(document_id, ""), site, vocabulary.codes)
        if derived and set(derived) == stored.get(document_id, set()):
            for code, reason in derived.items():
                DocumentParty.objects.filter(document_id=document_id, party__code=code).update(
                    assigned_by=RULE, rule=party_rule(reason)
                )


def restore_triggers(apps, schema_editor):
    # SQLite remakes a table to add a column with a default, and the data-version triggers go with the old table.
    if schema_editor.connection.vendor == "sqlite":
        data_version.drop_triggers(schema_editor, TABLES)
        data_version.create_triggers(schema_editor, TABLES)


ASSIGNED_BY = models.CharField(
    choices=[("curator", "Curator"), ("rule", "Importer rule")],
    default="curator",
    help_text="Who made it: a curator, or an importer rule (machine-assigned, open to review).",
    max_length=16,
)
RULE_FIELD = models.CharField(
    blank=True, help_text="The importer rule that made it; empty for a curator's.", max_length=200
)


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0018_topic_rule_needs_support"),
    ]

    operations = [
        # The many-to-many table becomes DocumentParty's as it is (its rows, its unique pair), in the state only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DocumentParty",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "document",
                            models.ForeignKey(
                                help_text="The document.",
                                on_delete=models.deletion.CASCADE,
                                related_name="party_links",
                                to="statements.document",
                            ),
                        ),
                        (
                            "party",
                            models.ForeignKey(
                                help_text="The party.",
                                on_delete=models.deletion.PROTECT,
                                related_name="document_links",
                                to="statements.party",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "document party",
                        "verbose_name_plural": "document parties",
                        "db_table": "statements_document_parties",
                        "ordering": ["document", "party"],
                        "unique_together": {("document", "party")},
                    },
                ),
                migrations.AlterField(
                    model_name="document",
                    name="parties",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="States or organisations the document is between or about; each link records who "
                        "made it (DocumentParty).",
                        related_name="documents",
                        through="statements.DocumentParty",
                        to="statements.party",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(model_name="documentparty", name="assigned_by", field=ASSIGNED_BY),
        migrations.AddField(model_name="documentparty", name="rule", field=RULE_FIELD),
        migrations.AddField(
            model_name="documentparty",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=timezone.now, help_text="When it was made."),
            preserve_default=False,
        ),
        migrations.AlterUniqueTogether(name="documentparty", unique_together=set()),
        migrations.AddConstraint(
            model_name="documentparty",
            constraint=models.UniqueConstraint(fields=("document", "party"), name="documentparty_unique"),
        ),
        migrations.AddField(model_name="signatory", name="assigned_by", field=ASSIGNED_BY),
        migrations.AddField(model_name="signatory", name="rule", field=RULE_FIELD),
        migrations.AlterField(model_name="clauseparty", name="assigned_by", field=ASSIGNED_BY),
        migrations.AlterField(
            model_name="clauseparty",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, help_text="When it was made."),
        ),
        migrations.AlterField(model_name="clauseparty", name="rule", field=RULE_FIELD),
        migrations.AlterField(model_name="clausetopic", name="assigned_by", field=ASSIGNED_BY),
        migrations.AlterField(
            model_name="clausetopic",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, help_text="When it was made."),
        ),
        migrations.AlterField(model_name="clausetopic", name="rule", field=RULE_FIELD),
        migrations.RunPython(restore_triggers, migrations.RunPython.noop),
        migrations.RunPython(classify_links, migrations.RunPython.noop),
    ]
