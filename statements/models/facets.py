"""ClauseFacet: what the topic and party filters count, one row per (topic or party, document, clause), kept by the
database.

A list filtered by topic or party pages through a map of how many matching clauses each document has
(statements.api.pagination.document_map). Counted from the link tables, that map joins every matching link to its
clause for the clause's document: a second at a million clauses, paid by the first request after every start and
every write. Here each link already carries its clause's document, and a topic's rows include its children's
clauses (the tree has two levels), so the map of ``topic=X`` or ``party=Y`` is one range of the primary key, read
in (document, clause) order: counted without a join, and two filters intersect by a merge of two such ranges.

The rows are derived data, never written by the application: database triggers keep them current on every write to
the links (ClauseTopic, ClauseParty), to a topic's parent, and to a clause's document or position, whoever writes (the
ORM, the importer, raw SQL). The triggers' SQL is in the migrations that made them (0015, and 0022 for the positions),
as they ran it; ``rebuild_sql`` makes the rows from the links (generate_corpus and the importer, after a bulk load
with the insert triggers off: tests/test_corpus_manifest.py checks it gives the rows the triggers would).
"""

from django.db import models

TOPIC, PARTY, EVERY_CLAUSE = 0, 1, 2
FACETS = [(TOPIC, "topic"), (PARTY, "party"), (EVERY_CLAUSE, "every clause")]


class NotSerialized(models.Manager):
    """The default manager of derived rows: empty, so ``dumpdata`` leaves them out and ``loaddata`` never writes
    them next to the rows its triggers make from the links it loads (which counted clauses twice). ``objects``
    reads them; ``dumpdata --all`` (the base manager) still shows them."""

    def get_queryset(self):
        return super().get_queryset().none()


class FacetRows(models.Model):
    """What both tables of derived rows share: a facet and its value, read through ``objects``, never serialized."""

    facet = models.SmallIntegerField(choices=FACETS, help_text="Topic, party or none.")
    value_id = models.BigIntegerField(help_text="The topic's or the party's id (0 for every clause).")

    not_serialized = NotSerialized()
    objects = models.Manager()

    class Meta:
        abstract = True
        default_manager_name = "not_serialized"


class ClauseFacet(FacetRows):
    """A clause under a topic (its own, or a child of the topic's) or a party, or just a clause (``EVERY_CLAUSE``,
    value 0: one such row for every clause), with the clause's document."""

    TOPIC, PARTY, EVERY_CLAUSE = TOPIC, PARTY, EVERY_CLAUSE

    pk = models.CompositePrimaryKey("facet", "value_id", "document_id", "clause_id")
    document_id = models.BigIntegerField(help_text="The clause's document.")
    clause_id = models.BigIntegerField(help_text="The clause.")
    position = models.IntegerField(help_text="The clause's position in its document.")

    class Meta(FacetRows.Meta):
        indexes = [
            # A clause's rows, for the triggers that follow a link's removal or a clause's move.
            models.Index(fields=["clause_id"], name="clausefacet_clause"),
            # A facet value's clauses of one document in reading order: where a filtered page's run of clauses starts
            # (statements.api.v1.rows.FACET_SKIP_SQL, FACET_PAIR_SLICE_SQL), by an index-only scan of those alone.
            models.Index(fields=["facet", "value_id", "document_id", "position"], name="clausefacet_position"),
        ]

    def __str__(self):
        return f"{self.get_facet_display()} {self.value_id}: clause {self.clause_id}"


class DocumentFacetCount(FacetRows):
    """How many of a document's clauses have a facet value: ClauseFacet's rows counted, kept by triggers as they
    come and go. The document map of ``topic=X``, ``party=Y`` or a list filtered only by document (kind, dates)
    reads these few thousand rows instead of counting hundreds of thousands."""

    pk = models.CompositePrimaryKey("facet", "value_id", "document_id")
    document_id = models.BigIntegerField(help_text="The document.")
    n = models.PositiveIntegerField(help_text="How many of the document's clauses have the facet.")

    def __str__(self):
        return f"{self.get_facet_display()} {self.value_id}: {self.n} clauses of document {self.document_id}"


FACET_COLUMNS = "statements_clausefacet (facet, value_id, document_id, clause_id, position)"
INSERT = {  # rows already there are kept
    "postgresql": f"INSERT INTO {FACET_COLUMNS} {{rows}} ON CONFLICT DO NOTHING",
    "sqlite": f"INSERT OR IGNORE INTO {FACET_COLUMNS} {{rows}}",
}
# Every row of the clauses from id {first_clause} on, from the links: a topic link gives a row for the topic and one for
# its parent (the same row twice for a clause linked to a parent and to its child: UNION keeps one); a party link gives
# one row; every clause one row of its own.
ROWS_SQL = """
SELECT 0, l.topic_id, c.document_id, c.id, c.position FROM statements_clausetopic l
JOIN statements_clause c ON c.id = l.clause_id WHERE c.id >= {first_clause}
UNION
SELECT 0, t.parent_id, c.document_id, c.id, c.position FROM statements_clausetopic l
JOIN statements_topic t ON t.id = l.topic_id JOIN statements_clause c ON c.id = l.clause_id
WHERE t.parent_id IS NOT NULL AND c.id >= {first_clause}
UNION
SELECT 1, l.party_id, c.document_id, c.id, c.position FROM statements_clauseparty l
JOIN statements_clause c ON c.id = l.clause_id WHERE c.id >= {first_clause}
UNION
SELECT 2, 0, c.document_id, c.id, c.position FROM statements_clause c WHERE c.id >= {first_clause}
"""
# The triggers that add a new link's rows: a bulk load turns them off and adds the rows afterwards.
INSERT_TRIGGERS = {
    "statements_clause": "statements_clause_facets_insert",
    "statements_clausetopic": "statements_clausetopic_facets_insert",
    "statements_clauseparty": "statements_clauseparty_facets_insert",
}


def rebuild_sql(vendor, first_clause=0):
    """SQL adding the rows of the clauses from id ``first_clause`` on (those already there are kept)."""
    return INSERT.get(vendor, INSERT["sqlite"]).format(rows=ROWS_SQL.format(first_clause=int(first_clause)))
