"""A clause's topic and party ids on its row and in its full-text index (PostgreSQL; statements.models.link_ids).

At a million clauses the table is rewritten once and its indexes rebuilt: about 2 minutes on the shared 2-core
machine (load 6). SQLite changes nothing: its filters read the link tables.

The SQL is written here as this migration ran it, never read from the application's code (see 0015).
"""

from django.db import migrations

from statements.migrations._sql import run_sql

# (link table, its id column, the clause's array column)
LINKS = (
    ("statements_clausetopic", "topic_id", "topic_ids"),
    ("statements_clauseparty", "party_id", "party_ids"),
)


def ids_function(table):
    """The name of the SQL function giving a clause's ids from the link ``table`` (its topics' or parties'), sorted."""
    return f"{table}_ids_of"


def postgresql_forward():
    """The SQL of this migration: the functions, the columns filled in one rewrite of the table, the index, the
    triggers."""
    statements = ["SET LOCAL statement_timeout = 0"]  # the timeout is for requests
    for table, column, _ in LINKS:
        statements.append(
            f"CREATE FUNCTION {ids_function(table)}(clause bigint) RETURNS bigint[] LANGUAGE sql STABLE AS $$ "
            f"SELECT coalesce(array_agg({column} ORDER BY {column}), '{{}}') FROM {table} WHERE clause_id = clause $$"
        )
    statements += [
        "ALTER TABLE statements_clause "
        + ", ".join(f"ADD COLUMN {array} bigint[] NOT NULL DEFAULT '{{}}'" for _, _, array in LINKS),
        "DROP INDEX clause_search_vector_idx",  # remade below with the arrays
        # One rewrite of the table fills both (an UPDATE would leave a dead row per clause and recompute every
        # clause's generated tsvector); the indexes are rebuilt from the new table, each in one pass.
        "ALTER TABLE statements_clause "
        + ", ".join(
            f"ALTER COLUMN {array} TYPE bigint[] USING {ids_function(table)}(id)" for table, column, array in LINKS
        ),
        "CREATE INDEX clause_search_vector_idx ON statements_clause USING gin (search_vector, topic_ids, party_ids)",
    ]
    for table, column, array in LINKS:
        function = f"{table}_clause_ids"
        remade = (
            f"UPDATE statements_clause c SET {array} = {ids_function(table)}(c.id) "
            f"WHERE c.id = ANY(changed) AND c.{array} IS DISTINCT FROM {ids_function(table)}(c.id)"
        )
        statements.append(f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed bigint[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE statements_clause SET {array} = '{{}}' WHERE {array} <> '{{}}';
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        -- only the clauses whose array lacks a new link (the importer wrote the others' with the clause row)
        changed := ARRAY(
            SELECT c.id FROM (SELECT clause_id, array_agg({column}) AS ids FROM added_links GROUP BY clause_id) AS a
            JOIN statements_clause c ON c.id = a.clause_id WHERE NOT c.{array} @> a.ids);
    ELSIF TG_OP = 'DELETE' THEN
        changed := ARRAY(SELECT DISTINCT clause_id FROM removed_links);
    ELSE
        changed := ARRAY(SELECT clause_id FROM removed_links UNION SELECT clause_id FROM added_links);
    END IF;
    IF cardinality(changed) > 0 THEN
        {remade};
    END IF;
    RETURN NULL;
END $$""")
        for event, transitions in (
            ("INSERT", "REFERENCING NEW TABLE AS added_links"),
            ("DELETE", "REFERENCING OLD TABLE AS removed_links"),
            ("UPDATE", "REFERENCING OLD TABLE AS removed_links NEW TABLE AS added_links"),
            ("TRUNCATE", ""),
        ):
            statements.append(
                f"CREATE TRIGGER {function}_{event.lower()} AFTER {event} ON {table} {transitions} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
    return statements


def postgresql_reverse():
    """This migration undone: the triggers and functions dropped, the index as migration 0004 made it, no arrays."""
    return [
        "SET LOCAL statement_timeout = 0",
        *(f"DROP FUNCTION IF EXISTS {table}_clause_ids() CASCADE" for table, _, _ in LINKS),
        "DROP INDEX clause_search_vector_idx",
        "ALTER TABLE statements_clause " + ", ".join(f"DROP COLUMN {array}" for _, _, array in LINKS),
        *(f"DROP FUNCTION IF EXISTS {ids_function(table)}(bigint)" for table, _, _ in LINKS),
        "CREATE INDEX clause_search_vector_idx ON statements_clause USING gin (search_vector)",
    ]


class Migration(migrations.Migration):
    dependencies = [("statements", "0020_drop_covered_indexes")]

    operations = [
        migrations.RunPython(
            run_sql({"postgresql": postgresql_forward()}),
            run_sql({"postgresql": postgresql_reverse()}),
            elidable=False,
        )
    ]
