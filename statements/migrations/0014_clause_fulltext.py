"""Full-text indexes for ranked search (issue 18).

SQLite: an FTS5 table over the clause text with the triggers that keep it current, filled from the clauses already
there. PostgreSQL: the function ``statements_search_tiers`` and a GIN index on it, which finds the clauses holding a
word of the query 2, 4, 8 or 16 times (the candidates for the top of a ranking; statements.search_ranking).
What each creates is statements.search_index's, which ``manage.py rebuild_search_index`` runs again.
"""

from django.db import migrations


def forward(apps, schema_editor):
    from statements import search_index

    search_index.install(schema_editor.connection)


def backward(apps, schema_editor):
    from statements import search_index

    search_index.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("statements", "0013_topic_vocabulary")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
