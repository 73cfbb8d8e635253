"""ClauseFacet (statements.models.facets): what the topic and party filters count, kept current by triggers.

On PostgreSQL the link tables' triggers are per statement, with transition tables: a COPY or a bulk insert of a
million links updates the facets in one set-based statement. SQLite's are per row. Both keep the same rows:
- a link added: a row for its topic or party, and for its topic's parent (if it has one);
- a link removed: those rows, unless another link of the clause still gives them (a clause linked to a parent and to
  a child keeps the parent's row while either link stays);
- a topic given another parent: the old and the new parent's rows made anew; a topic deleted: its rows;
- a clause added: its row of every clause (facet 2); a clause deleted: its rows (its links went first);
- a clause moved to another document: its rows follow.
DocumentFacetCount's rows follow ClauseFacet's: a row's (facet, value, document) count goes up or down with it, and a
count that reaches 0 is deleted.

The SQL is written here in full, as this migration ran it (migration 0022 reuses the parts it kept): a migration is a
record of what was done, so it never reads the application's code, which moves on (statements.models.facets keeps what
the application itself runs).
"""

from django.db import migrations, models

from statements.migrations._sql import run_sql

# The rows a topic link (clause_id, topic_id) gives, from a relation ``{links}``: the topic's and its parent's.
TOPIC_ROWS = """
SELECT 0, l.topic_id, c.document_id, c.id FROM {links} l JOIN statements_clause c ON c.id = l.clause_id
UNION
SELECT 0, t.parent_id, c.document_id, c.id FROM {links} l JOIN statements_topic t ON t.id = l.topic_id
JOIN statements_clause c ON c.id = l.clause_id WHERE t.parent_id IS NOT NULL"""
PARTY_ROWS = "SELECT 1, l.party_id, c.document_id, c.id FROM {links} l JOIN statements_clause c ON c.id = l.clause_id"
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
SELECT DISTINCT 0, p.id, c.document_id, c.id FROM statements_topic p
JOIN statements_topic t ON t.id = p.id OR t.parent_id = p.id
JOIN statements_clausetopic l ON l.topic_id = t.id JOIN statements_clause c ON c.id = l.clause_id
WHERE p.id = {topic}"""
LINKS = {  # table: (facet, its rows, its candidates, the test that a row is unused)
    "statements_clausetopic": (0, TOPIC_ROWS, TOPIC_CANDIDATES, TOPIC_ROW_UNUSED),
    "statements_clauseparty": (1, PARTY_ROWS, PARTY_CANDIDATES, PARTY_ROW_UNUSED),
}
INSERT = {  # rows already there are kept
    "postgresql": "INSERT INTO statements_clausefacet (facet, value_id, document_id, clause_id) {rows} ON CONFLICT DO NOTHING",
    "sqlite": "INSERT OR IGNORE INTO statements_clausefacet (facet, value_id, document_id, clause_id) {rows}",
}


def removed(facet, candidates, unused, links):
    """SQL deleting the rows of the removed links ``links`` (a relation) that no other link of their clause gives."""
    return (
        f"DELETE FROM statements_clausefacet WHERE facet = {facet} AND (clause_id, value_id) IN "
        f"(SELECT clause_id, value_id FROM ({candidates.format(links=links)}) AS candidates) AND {unused}"
    )


# The per-statement function of a link table's triggers: the rows of removed links that no other link gives deleted
# ({removed}), those of added links inserted ({added}). {create}: CREATE here, CREATE OR REPLACE where 0022 remakes it.
LINK_FUNCTION_PG = """
{create} FUNCTION {table}_facets() RETURNS trigger LANGUAGE plpgsql AS $$
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
# and the new parent made anew ({remade}). {create}: CREATE here, CREATE OR REPLACE where a later migration remakes it.
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


COUNT_KEY = "(facet, value_id, document_id)"
COUNTS_PG = f"""
CREATE FUNCTION statements_clausefacet_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE statements_documentfacetcount k SET n = k.n - gone.n
        FROM (SELECT facet, value_id, document_id, count(*) AS n FROM removed_rows GROUP BY 1, 2, 3) AS gone
        WHERE (k.facet, k.value_id, k.document_id) = (gone.facet, gone.value_id, gone.document_id);
        DELETE FROM statements_documentfacetcount k USING (SELECT DISTINCT facet, value_id, document_id FROM removed_rows)
        AS gone WHERE (k.facet, k.value_id, k.document_id) = (gone.facet, gone.value_id, gone.document_id) AND k.n = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO statements_documentfacetcount (facet, value_id, document_id, n)
        SELECT facet, value_id, document_id, count(*) FROM added_rows GROUP BY 1, 2, 3
        ON CONFLICT {COUNT_KEY} DO UPDATE SET n = statements_documentfacetcount.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END $$"""
COUNT_TRIGGERS_PG = [
    f"CREATE TRIGGER statements_clausefacet_counts_{event.lower()} AFTER {event} ON statements_clausefacet "
    f"REFERENCING {transitions} FOR EACH STATEMENT EXECUTE FUNCTION statements_clausefacet_counts()"
    for event, transitions in (
        ("INSERT", "NEW TABLE AS added_rows"),
        ("DELETE", "OLD TABLE AS removed_rows"),
        ("UPDATE", "OLD TABLE AS removed_rows NEW TABLE AS added_rows"),
    )
]
COUNT_UP_SQLITE = (
    "INSERT INTO statements_documentfacetcount (facet, value_id, document_id, n) "
    f"VALUES (NEW.facet, NEW.value_id, NEW.document_id, 1) ON CONFLICT {COUNT_KEY} DO UPDATE SET n = n + 1;"
)
THIS_COUNT = "facet = OLD.facet AND value_id = OLD.value_id AND document_id = OLD.document_id"
COUNT_DOWN_SQLITE = (
    f"UPDATE statements_documentfacetcount SET n = n - 1 WHERE {THIS_COUNT}; "
    f"DELETE FROM statements_documentfacetcount WHERE {THIS_COUNT} AND n = 0;"
)
COUNT_TRIGGERS_SQLITE = [
    f"CREATE TRIGGER statements_clausefacet_counts_insert AFTER INSERT ON statements_clausefacet BEGIN {COUNT_UP_SQLITE} END",
    f"CREATE TRIGGER statements_clausefacet_counts_delete AFTER DELETE ON statements_clausefacet BEGIN {COUNT_DOWN_SQLITE} END",
    "CREATE TRIGGER statements_clausefacet_counts_update AFTER UPDATE ON statements_clausefacet BEGIN "
    f"{COUNT_DOWN_SQLITE} {COUNT_UP_SQLITE} END",
]
# The row every clause has (facet 2), from a relation of clauses ``{clauses}``.
EVERY_CLAUSE_ROWS = "SELECT 2, 0, c.document_id, c.id FROM {clauses} c"
# Every row, from the links and the clauses, as this migration made them (without the positions 0022 added).
EVERY_ROW = " UNION ".join(
    [
        TOPIC_ROWS.format(links="statements_clausetopic"),
        PARTY_ROWS.format(links="statements_clauseparty"),
        EVERY_CLAUSE_ROWS.format(clauses="statements_clause"),
    ]
)


def postgresql():
    statements = ["SET LOCAL statement_timeout = 0", COUNTS_PG, *COUNT_TRIGGERS_PG]  # the timeout is for requests
    for table, (facet, rows, candidates, unused) in LINKS.items():
        function = f"{table}_facets"
        statements.append(
            LINK_FUNCTION_PG.format(
                create="CREATE",
                table=table,
                removed=removed(facet, candidates, unused, "removed_links"),
                added=INSERT["postgresql"].format(rows=rows.format(links="added_links")),
            )
        )
        for event, transitions in (
            ("INSERT", "NEW TABLE AS added_links"),
            ("DELETE", "OLD TABLE AS removed_links"),
            ("UPDATE", "OLD TABLE AS removed_links NEW TABLE AS added_links"),
        ):
            statements.append(
                f"CREATE TRIGGER {table}_facets_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {transitions} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
    statements += [
        TOPIC_FUNCTION_PG.format(
            create="CREATE",
            remade="\n    ".join(
                INSERT["postgresql"].format(rows=TOPIC_REMADE.format(topic=f"{row}.parent_id")) + ";"
                for row in ("OLD", "NEW")
            ),
        ),
        "CREATE TRIGGER statements_topic_facets_parent AFTER UPDATE OF parent_id ON statements_topic FOR EACH ROW "
        "WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION statements_topic_facets()",
        "CREATE TRIGGER statements_topic_facets_delete AFTER DELETE ON statements_topic FOR EACH ROW "
        "EXECUTE FUNCTION statements_topic_facets()",
        """
CREATE FUNCTION statements_clause_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE statements_clausefacet SET document_id = NEW.document_id WHERE clause_id = NEW.id;
    RETURN NULL;
END $$""",
        "CREATE TRIGGER statements_clause_facets_document AFTER UPDATE OF document_id ON statements_clause "
        "FOR EACH ROW WHEN (OLD.document_id IS DISTINCT FROM NEW.document_id) "
        "EXECUTE FUNCTION statements_clause_facets()",
        EVERY_CLAUSE_FUNCTION_PG.format(
            create="CREATE", added=INSERT["postgresql"].format(rows=EVERY_CLAUSE_ROWS.format(clauses="added_clauses"))
        ),
        "CREATE TRIGGER statements_clause_facets_insert AFTER INSERT ON statements_clause REFERENCING NEW TABLE AS "
        "added_clauses FOR EACH STATEMENT EXECUTE FUNCTION statements_clause_facets_every()",
        "CREATE TRIGGER statements_clause_facets_delete AFTER DELETE ON statements_clause REFERENCING OLD TABLE AS "
        "removed_clauses FOR EACH STATEMENT EXECUTE FUNCTION statements_clause_facets_every()",
        INSERT["postgresql"].format(rows=EVERY_ROW),
    ]
    return statements


def sqlite():
    statements = list(COUNT_TRIGGERS_SQLITE)
    for table, (facet, rows, candidates, unused) in LINKS.items():
        one_row = "(SELECT NEW.clause_id AS clause_id, NEW.{column} AS {column})"
        old_row = "(SELECT OLD.clause_id AS clause_id, OLD.{column} AS {column})"
        column = "topic_id" if facet == 0 else "party_id"
        added = INSERT["sqlite"].format(rows=rows.format(links=one_row.format(column=column))) + ";"
        gone = removed(facet, candidates, unused, old_row.format(column=column)) + ";"
        statements += [
            f"CREATE TRIGGER {table}_facets_insert AFTER INSERT ON {table} BEGIN {added} END",
            f"CREATE TRIGGER {table}_facets_delete AFTER DELETE ON {table} BEGIN {gone} END",
            f"CREATE TRIGGER {table}_facets_update AFTER UPDATE ON {table} BEGIN {gone} {added} END",
        ]
    remade = " ".join(
        INSERT["sqlite"].format(rows=TOPIC_REMADE.format(topic=topic)) + ";"
        for topic in ("OLD.parent_id", "NEW.parent_id")
    )
    statements += [
        "CREATE TRIGGER statements_topic_facets_parent AFTER UPDATE OF parent_id ON statements_topic "
        "WHEN OLD.parent_id IS NOT NEW.parent_id BEGIN "
        "DELETE FROM statements_clausefacet WHERE facet = 0 AND value_id IN (OLD.parent_id, NEW.parent_id); "
        f"{remade} END",
        "CREATE TRIGGER statements_topic_facets_delete AFTER DELETE ON statements_topic BEGIN "
        "DELETE FROM statements_clausefacet WHERE facet = 0 AND value_id = OLD.id; END",
        "CREATE TRIGGER statements_clause_facets_document AFTER UPDATE OF document_id ON statements_clause "
        "WHEN OLD.document_id IS NOT NEW.document_id BEGIN "
        "UPDATE statements_clausefacet SET document_id = NEW.document_id WHERE clause_id = NEW.id; END",
        "CREATE TRIGGER statements_clause_facets_insert AFTER INSERT ON statements_clause BEGIN "
        + INSERT["sqlite"].format(
            rows=EVERY_CLAUSE_ROWS.format(clauses="(SELECT NEW.id AS id, NEW.document_id AS document_id)")
        )
        + "; END",
        "CREATE TRIGGER statements_clause_facets_delete AFTER DELETE ON statements_clause BEGIN "
        "DELETE FROM statements_clausefacet WHERE clause_id = OLD.id; END",
        INSERT["sqlite"].format(rows=EVERY_ROW),
    ]
    return statements


def drop():
    names = [f"{table}_facets_{event}" for table in LINKS for event in ("insert", "delete", "update")]
    return {
        "postgresql": [
            *(f"DROP FUNCTION IF EXISTS {table}_facets() CASCADE" for table in LINKS),
            "DROP FUNCTION IF EXISTS statements_topic_facets() CASCADE",
            "DROP FUNCTION IF EXISTS statements_clause_facets() CASCADE",
            "DROP FUNCTION IF EXISTS statements_clause_facets_every() CASCADE",
            "DROP FUNCTION IF EXISTS statements_clausefacet_counts() CASCADE",
        ],
        "sqlite": [
            *(f"DROP TRIGGER IF EXISTS {name}" for name in names),
            "DROP TRIGGER IF EXISTS statements_topic_facets_parent",
            "DROP TRIGGER IF EXISTS statements_topic_facets_delete",
            "DROP TRIGGER IF EXISTS statements_clause_facets_document",
            "DROP TRIGGER IF EXISTS statements_clause_facets_insert",
            "DROP TRIGGER IF EXISTS statements_clause_facets_delete",
            *(
                f"DROP TRIGGER IF EXISTS statements_clausefacet_counts_{event}"
                for event in ("insert", "delete", "update")
            ),
        ],
    }


class Migration(migrations.Migration):
    dependencies = [("statements", "0014_clause_fulltext")]

    # The two models' states as Django writes them (a migration freezes them; their shared columns stay repeated).
    operations = [
        migrations.CreateModel(
            name="ClauseFacet",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "facet",
                        "value_id",
                        "document_id",
                        "clause_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "facet",
                    models.SmallIntegerField(
                        choices=[(0, "topic"), (1, "party"), (2, "every clause")], help_text="Topic, party or none."
                    ),
                ),
                ("value_id", models.BigIntegerField(help_text="The topic's or the party's id (0 for every clause).")),
                ("document_id", models.BigIntegerField(help_text="The clause's document.")),
                ("clause_id", models.BigIntegerField(help_text="The clause.")),
            ],
            options={"indexes": [models.Index(fields=["clause_id"], name="clausefacet_clause")]},
        ),
        migrations.CreateModel(
            name="DocumentFacetCount",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "facet",
                        "value_id",
                        "document_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "facet",
                    models.SmallIntegerField(
                        choices=[(0, "topic"), (1, "party"), (2, "every clause")], help_text="Topic, party or none."
                    ),
                ),
                ("value_id", models.BigIntegerField(help_text="The topic's or the party's id (0 for every clause).")),
                ("document_id", models.BigIntegerField(help_text="The document.")),
                ("n", models.PositiveIntegerField(help_text="How many of the document's clauses have the facet.")),
            ],
        ),
        migrations.RunPython(
            run_sql({"postgresql": postgresql(), "sqlite": sqlite()}, missing="ClauseFacet's triggers: {vendor}?"),
            run_sql(drop()),
        ),
    ]
