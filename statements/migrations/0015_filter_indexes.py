# The filters' indexes (statements.selection): a topic's and a party's clauses, and clauses counted by document, each
# read from an index alone at a million clauses.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0012_clause_aliases"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="clause",
            index=models.Index(fields=["document", "id"], name="clause_document_clause"),
        ),
        migrations.AddIndex(
            model_name="clauseparty",
            index=models.Index(fields=["party", "clause"], name="clauseparty_party_clause"),
        ),
        migrations.AddIndex(
            model_name="clausetopic",
            index=models.Index(fields=["topic", "clause"], name="clausetopic_topic_clause"),
        ),
    ]
