"""ClauseFacet: what the topic and party filters count, one row per (topic or party, document, clause), kept by the
database.

A list filtered by topic or party pages through a map of how many matching clauses each document has
(statements.api.pagination.document_map). Counted from the link tables, that map joins every matching link to its
clause for the clause's document: a second at a million clauses, paid by the first request after every start and
every write. Here each link already carries its clause's document, and a topic's rows include its children's
clauses (the tree has two levels), so the map of ``topic=X`` or ``party=Y`` is one range of the primary key, read
in (document, clause) order: counted without a join, and two filters intersect by a merge of two such ranges.

The rows are derived data, never written by the application: database triggers (migration 0015) keep them current
on every write to the links (ClauseTopic, ClauseParty), to a topic's parent, and to a clause's document, whoever
writes (the ORM, the importer, raw SQL). ``REBUILD_SQL`` makes them from the links (the migration, and
generate_corpus after a bulk load with the triggers off).
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


# The rows a topic link (clause_id, topic_id) gives, from a relation ``{links}``: the topic's and its parent's.
TOPIC_ROWS = """
SELECT 0, l.topic_id, c.document_id, c.id, c.position FROM {links} l JOIN statements_clause c ON c.id = l.clause_id
UNION
SELECT 0, t.parent_id, c.document_id, c.id, c.position FROM {links} l JOIN statements_topic t ON t.id = l.topic_id
JOIN statements_clause c ON c.id = l.clause_id WHERE t.parent_id IS NOT NULL"""
PARTY_ROWS = """
SELECT 1, l.party_id, c.document_id, c.id, c.position FROM {links} l JOIN statements_clause c ON c.id = l.clause_id"""
# A topic row (value_id, clause_id) that no link of the clause gives any more: the topic itself or a child of it.
TOPIC_ROW_UNUSED = """NOT EXISTS (
    SELECT 1 FROM statements_clausetopic kept JOIN statements_topic t ON t.id = kept.topic_id
    WHERE kept.clause_id = statements_clausefacet.clause_id
      AND (kept.topic_id = statements_clausefacet.value_id OR t.parent_id = statements_clausefacet.value_id))"""
PARTY_ROW_UNUSED = """NOT EXISTS (
    SELECT 1 FROM statements_clauseparty kept
    WHERE kept.clause_id = statements_clausefacet.clause_id AND kept.party_id = statements_clausefacet.value_id)"""
# The removed links' candidate rows: (clause_id, value_id) from a relation ``{links}``.
TOPIC_CANDIDATES = """
SELECT l.clause_id, l.topic_id AS value_id FROM {links} l
UNION SELECT l.clause_id, t.parent_id FROM {links} l JOIN statements_topic t ON t.id = l.topic_id
WHERE t.parent_id IS NOT NULL"""
PARTY_CANDIDATES = "SELECT l.clause_id, l.party_id AS value_id FROM {links} l"
# A topic's rows made anew (``{topic}``: its id): its own links' and its children's.
TOPIC_REMADE = """
SELECT DISTINCT 0, p.id, c.document_id, c.id, c.position FROM statements_topic p
JOIN statements_topic t ON t.id = p.id OR t.parent_id = p.id
JOIN statements_clausetopic l ON l.topic_id = t.id JOIN statements_clause c ON c.id = l.clause_id
WHERE p.id = {topic}"""
# The row every clause has (facet 2), from a relation of clauses ``{clauses}``.
EVERY_CLAUSE_ROWS = "SELECT 2, 0, c.document_id, c.id, c.position FROM {clauses} c"
LINKS = {  # table: (facet, its rows, its candidates, the test that a row is unused)
    "statements_clausetopic": (TOPIC, TOPIC_ROWS, TOPIC_CANDIDATES, TOPIC_ROW_UNUSED),
    "statements_clauseparty": (PARTY, PARTY_ROWS, PARTY_CANDIDATES, PARTY_ROW_UNUSED),
}
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


def removed(facet, candidates, unused, links):
    """SQL deleting the rows of the removed links ``links`` (a relation) that no other link of their clause gives."""
    return (
        f"DELETE FROM statements_clausefacet WHERE facet = {facet} AND (clause_id, value_id) IN "
        f"(SELECT clause_id, value_id FROM ({candidates.format(links=links)}) AS candidates) AND {unused}"
    )


# The per-statement link triggers' function on PostgreSQL (migration 0015 made it; 0022 gave the rows positions).
LINK_FUNCTION_PG = """
CREATE OR REPLACE FUNCTION {table}_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        {removed};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {added};
    END IF;
    RETURN NULL;
END $$"""
# The function of a topic's triggers: a deleted topic's rows deleted; a topic given another parent, the rows of the old
# and the new parent made anew ({remade}).
TOPIC_FUNCTION_PG = """
{create} FUNCTION statements_topic_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM statements_clausefacet WHERE facet = 0 AND value_id = OLD.id;
        RETURN NULL;
    END IF;
    DELETE FROM statements_clausefacet WHERE facet = 0 AND value_id IN (OLD.parent_id, NEW.parent_id);
    {remade}
    RETURN NULL;
END $$"""
# The statement triggers' function that adds a new clause's row of every clause and deletes a deleted clause's rows.
EVERY_CLAUSE_FUNCTION_PG = """
{create} FUNCTION statements_clause_facets_every() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM statements_clausefacet WHERE clause_id IN (SELECT id FROM removed_clauses);
    ELSE
        {added};
    END IF;
    RETURN NULL;
END $$"""
# A clause moved to another document or another position: its rows follow (one trigger, per row, for both).
CLAUSE_PLACED = "UPDATE statements_clausefacet SET document_id = NEW.document_id, position = NEW.position "
CLAUSE_PLACED += "WHERE clause_id = NEW.id"
CLAUSE_MOVED_PG = "OLD.document_id IS DISTINCT FROM NEW.document_id OR OLD.position IS DISTINCT FROM NEW.position"
CLAUSE_MOVED_SQLITE = "OLD.document_id IS NOT NEW.document_id OR OLD.position IS NOT NEW.position"


def topic_remade(vendor):
    """The statements that make anew the rows of a topic's old and new parent (a trigger's OLD and NEW)."""
    return [INSERT[vendor].format(rows=TOPIC_REMADE.format(topic=f"{row}.parent_id")) + ";" for row in ("OLD", "NEW")]


def postgresql_triggers():
    """The functions and triggers that write ClauseFacet's rows (with positions), as migration 0022 leaves them: those
    of migration 0015 replaced, and the clause's document trigger now also following its position."""
    statements = []
    for table, (facet, rows, candidates, unused) in LINKS.items():
        statements.append(
            LINK_FUNCTION_PG.format(
                table=table,
                removed=removed(facet, candidates, unused, "removed_links"),
                added=INSERT["postgresql"].format(rows=rows.format(links="added_links")),
            )
        )
    statements += [
        TOPIC_FUNCTION_PG.format(create="CREATE OR REPLACE", remade="\n    ".join(topic_remade("postgresql"))),
        f"""
CREATE OR REPLACE FUNCTION statements_clause_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {CLAUSE_PLACED};
    RETURN NULL;
END $$""",
        "DROP TRIGGER IF EXISTS statements_clause_facets_document ON statements_clause",
        "CREATE TRIGGER statements_clause_facets_placed AFTER UPDATE OF document_id, position ON statements_clause "
        f"FOR EACH ROW WHEN ({CLAUSE_MOVED_PG}) EXECUTE FUNCTION statements_clause_facets()",
        EVERY_CLAUSE_FUNCTION_PG.format(
            create="CREATE OR REPLACE",
            added=INSERT["postgresql"].format(rows=EVERY_CLAUSE_ROWS.format(clauses="added_clauses")),
        ),
    ]
    return statements


def sqlite_triggers():
    """SQLite's row triggers that write ClauseFacet's rows (with positions), as migration 0022 leaves them (those of
    migration 0015 dropped and made again)."""
    statements = []
    for table, (facet, rows, candidates, unused) in LINKS.items():
        column = "topic_id" if facet == TOPIC else "party_id"
        new_row = f"(SELECT NEW.clause_id AS clause_id, NEW.{column} AS {column})"
        old_row = f"(SELECT OLD.clause_id AS clause_id, OLD.{column} AS {column})"
        added = INSERT["sqlite"].format(rows=rows.format(links=new_row)) + ";"
        gone = removed(facet, candidates, unused, old_row) + ";"
        for event, body in (("insert", added), ("delete", gone), ("update", f"{gone} {added}")):
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_facets_{event}",
                f"CREATE TRIGGER {table}_facets_{event} AFTER {event.upper()} ON {table} BEGIN {body} END",
            ]
    remade = " ".join(topic_remade("sqlite"))
    every_clause = EVERY_CLAUSE_ROWS.format(
        clauses="(SELECT NEW.id AS id, NEW.document_id AS document_id, NEW.position AS position)"
    )
    statements += [
        "DROP TRIGGER IF EXISTS statements_topic_facets_parent",
        "CREATE TRIGGER statements_topic_facets_parent AFTER UPDATE OF parent_id ON statements_topic "
        "WHEN OLD.parent_id IS NOT NEW.parent_id BEGIN "
        "DELETE FROM statements_clausefacet WHERE facet = 0 AND value_id IN (OLD.parent_id, NEW.parent_id); "
        f"{remade} END",
        "DROP TRIGGER IF EXISTS statements_clause_facets_document",
        "CREATE TRIGGER statements_clause_facets_placed AFTER UPDATE OF document_id, position ON statements_clause "
        f"WHEN {CLAUSE_MOVED_SQLITE} BEGIN {CLAUSE_PLACED}; END",
        "DROP TRIGGER IF EXISTS statements_clause_facets_insert",
        "CREATE TRIGGER statements_clause_facets_insert AFTER INSERT ON statements_clause BEGIN "
        f"{INSERT['sqlite'].format(rows=every_clause)}; END",
    ]
    return statements


# Migration 0022 fills the new column from the clauses: on PostgreSQL in one rewrite of the table (a function reads each
# row's clause: ALTER COLUMN ... USING allows no subquery), which rebuilds its indexes in one pass each and leaves no
# dead rows; on SQLite with an UPDATE.
POSITION_OF = "statements_clausefacet_position_of"
FILL_POSITIONS = {
    "postgresql": [
        "SET LOCAL statement_timeout = 0",  # the timeout is for requests
        f"CREATE FUNCTION {POSITION_OF}(clause bigint) RETURNS integer LANGUAGE sql STABLE AS $$ "
        "SELECT position FROM statements_clause WHERE id = clause $$",
        "ALTER TABLE statements_clausefacet ADD COLUMN position integer NOT NULL DEFAULT 0",
        "ALTER TABLE statements_clausefacet ALTER COLUMN position DROP DEFAULT, "
        f"ALTER COLUMN position TYPE integer USING {POSITION_OF}(clause_id)",
        f"DROP FUNCTION {POSITION_OF}(bigint)",
    ],
    "sqlite": [
        "ALTER TABLE statements_clausefacet ADD COLUMN position integer NOT NULL DEFAULT 0",
        "UPDATE statements_clausefacet SET position = "
        "(SELECT c.position FROM statements_clause c WHERE c.id = statements_clausefacet.clause_id)",
    ],
}
POSITION_INDEX = "CREATE INDEX clausefacet_position ON statements_clausefacet (facet, value_id, document_id, position)"
