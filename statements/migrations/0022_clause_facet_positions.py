"""ClauseFacet's rows carry their clause's position, with an index (facet, value, document, position): a filtered page
finds where its run of a document's clauses starts, at its offset among the matching ones, with an index-only scan of
those alone (statements.models.facets; statements.api.v1.rows.FACET_SKIP_SQL, FACET_PAIR_SLICE_SQL), where it read
every clause of the document up to it and checked each one's topics or parties.

The triggers that write the rows now write the position too, and the one that followed a clause to another document
follows its position as well (statements.models.placement moves clauses; a re-import renumbers them). At a million
clauses PostgreSQL rewrites the table once (6.2 million rows) and builds the index.

The SQL is written here as this migration runs it, never read from the application's code (see 0015): what it keeps
from 0015 (which rows a removed link leaves unused, the link, topic and every-clause functions) it takes from 0015.
"""

import importlib

from django.db import migrations, models

from statements.migrations._sql import run_sql

created_by_0015 = importlib.import_module("statements.migrations.0015_clause_facets")
# The rows a topic link (clause_id, topic_id) gives, from a relation ``{links}``: the topic's and its parent's.
TOPIC_ROWS = """
SELECT 0, l.topic_id, c.document_id, c.id, c.position FROM {links} l JOIN statements_clause c ON c.id = l.clause_id
UNION
SELECT 0, t.parent_id, c.document_id, c.id, c.position FROM {links} l JOIN statements_topic t ON t.id = l.topic_id
JOIN statements_clause c ON c.id = l.clause_id WHERE t.parent_id IS NOT NULL"""
PARTY_ROWS = """
SELECT 1, l.party_id, c.document_id, c.id, c.position FROM {links} l JOIN statements_clause c ON c.id = l.clause_id"""
# A topic's rows made anew (``{topic}``: its id): its own links' and its children's.
TOPIC_REMADE = """
SELECT DISTINCT 0, p.id, c.document_id, c.id, c.position FROM statements_topic p
JOIN statements_topic t ON t.id = p.id OR t.parent_id = p.id
JOIN statements_clausetopic l ON l.topic_id = t.id JOIN statements_clause c ON c.id = l.clause_id
WHERE p.id = {topic}"""
# The row every clause has (facet 2), from a relation of clauses ``{clauses}``.
EVERY_CLAUSE_ROWS = "SELECT 2, 0, c.document_id, c.id, c.position FROM {clauses} c"
LINKS = {  # table: (facet, its rows, its candidates, the test that a row is unused)
    "statements_clausetopic": (
        0,
        TOPIC_ROWS,
        created_by_0015.TOPIC_CANDIDATES,
        created_by_0015.TOPIC_ROW_UNUSED,
    ),
    "statements_clauseparty": (
        1,
        PARTY_ROWS,
        created_by_0015.PARTY_CANDIDATES,
        created_by_0015.PARTY_ROW_UNUSED,
    ),
}
FACET_COLUMNS = "statements_clausefacet (facet, value_id, document_id, clause_id, position)"
INSERT = {  # rows already there are kept
    "postgresql": f"INSERT INTO {FACET_COLUMNS} {{rows}} ON CONFLICT DO NOTHING",
    "sqlite": f"INSERT OR IGNORE INTO {FACET_COLUMNS} {{rows}}",
}

# A clause moved to another document or another position: its rows follow (one trigger, per row, for both).
CLAUSE_PLACED = "UPDATE statements_clausefacet SET document_id = NEW.document_id, position = NEW.position "
CLAUSE_PLACED += "WHERE clause_id = NEW.id"
CLAUSE_MOVED_PG = "OLD.document_id IS DISTINCT FROM NEW.document_id OR OLD.position IS DISTINCT FROM NEW.position"
CLAUSE_MOVED_SQLITE = "OLD.document_id IS NOT NEW.document_id OR OLD.position IS NOT NEW.position"


def topic_remade(vendor):
    """The statements that make anew the rows of a topic's old and new parent (a trigger's OLD and NEW)."""
    return [INSERT[vendor].format(rows=TOPIC_REMADE.format(topic=f"{row}.parent_id")) + ";" for row in ("OLD", "NEW")]


def postgresql_triggers():
    """The functions and triggers that write ClauseFacet's rows with positions: those of 0015 replaced, and the clause's
    document trigger now also following its position."""
    statements = []
    for table, (facet, rows, candidates, unused) in LINKS.items():
        statements.append(
            created_by_0015.LINK_FUNCTION_PG.format(
                create="CREATE OR REPLACE",
                table=table,
                removed=created_by_0015.removed(facet, candidates, unused, "removed_links"),
                added=INSERT["postgresql"].format(rows=rows.format(links="added_links")),
            )
        )
    statements += [
        created_by_0015.TOPIC_FUNCTION_PG.format(
            create="CREATE OR REPLACE", remade="\n    ".join(topic_remade("postgresql"))
        ),
        f"""
CREATE OR REPLACE FUNCTION statements_clause_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {CLAUSE_PLACED};
    RETURN NULL;
END $$""",
        "DROP TRIGGER IF EXISTS statements_clause_facets_document ON statements_clause",
        "CREATE TRIGGER statements_clause_facets_placed AFTER UPDATE OF document_id, position ON statements_clause "
        f"FOR EACH ROW WHEN ({CLAUSE_MOVED_PG}) EXECUTE FUNCTION statements_clause_facets()",
        created_by_0015.EVERY_CLAUSE_FUNCTION_PG.format(
            create="CREATE OR REPLACE",
            added=INSERT["postgresql"].format(rows=EVERY_CLAUSE_ROWS.format(clauses="added_clauses")),
        ),
    ]
    return statements


def sqlite_triggers():
    """SQLite's row triggers that write ClauseFacet's rows with positions (those of 0015 dropped and made again)."""
    statements = []
    for table, (facet, rows, candidates, unused) in LINKS.items():
        column = "topic_id" if facet == 0 else "party_id"
        new_row = f"(SELECT NEW.clause_id AS clause_id, NEW.{column} AS {column})"
        old_row = f"(SELECT OLD.clause_id AS clause_id, OLD.{column} AS {column})"
        added = INSERT["sqlite"].format(rows=rows.format(links=new_row)) + ";"
        gone = created_by_0015.removed(facet, candidates, unused, old_row) + ";"
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


# The new column filled from the clauses: on PostgreSQL in one rewrite of the table (a function reads each row's
# clause: ALTER COLUMN ... USING allows no subquery), which rebuilds its indexes in one pass each and leaves no dead
# rows; on SQLite with an UPDATE.
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


def forward():
    return {
        "postgresql": [*FILL_POSITIONS["postgresql"], POSITION_INDEX, *postgresql_triggers()],
        "sqlite": [*FILL_POSITIONS["sqlite"], POSITION_INDEX, *sqlite_triggers()],
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
