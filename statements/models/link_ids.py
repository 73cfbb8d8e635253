"""A clause's topic and party ids on its own row (PostgreSQL): ``topic_ids`` and ``party_ids``, ``bigint[]``, in the
full-text index with the text's tsvector.

Why: a search filtered by topic or party (``?q=uncertainty&party=kz``) checked each match of the full-text index in a
link table (an ``EXISTS`` a match: 9,816 probes for 770 results at a million clauses, and each match's row read from
the table first). With the ids in the same GIN index as the tsvector (``clause_search_vector_idx`` over
``search_vector, topic_ids, party_ids``), the index intersects the word's clauses with the topic's or the party's, and
only the results are read. The lists that read a document's clauses in order check the arrays on the row they read.

The arrays are a clause's own links (ClauseTopic, ClauseParty), sorted; a parent topic's filter names its children
(``selection.ids_of``), as the ORM's ``on_topics`` does. They are derived data, never model fields (SQLite has no
arrays: its filters keep their ``EXISTS``):

- writers that know a new clause's links write the arrays with the clause row (the importer's ``create_documents``,
  ``generate_corpus``), so the links' triggers find nothing to do;
- the links' statement triggers (migration 0021) keep them current for every other writer (the admin, re-tagging,
  ``loaddata``, raw SQL): set-based, with transition tables; an insert whose clauses' arrays already hold the new
  links costs one join of the new links with their clauses, and updates nothing.
"""

LINK_ID_COLUMNS = ("topic_ids", "party_ids")
# (link table, its id column, the clause's array column)
LINKS = (
    ("statements_clausetopic", "topic_id", "topic_ids"),
    ("statements_clauseparty", "party_id", "party_ids"),
)


def ids_function(table):
    """The name of the SQL function giving a clause's ids from the link ``table`` (its topics' or parties'), sorted."""
    return f"{table}_ids_of"


def postgresql_forward():
    """The SQL of migration 0021: the functions, the columns filled in one rewrite of the table, the index, the
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
    """Migration 0021 undone: the triggers and functions dropped, the index as migration 0004 made it, no arrays."""
    return [
        "SET LOCAL statement_timeout = 0",
        *(f"DROP FUNCTION IF EXISTS {table}_clause_ids() CASCADE" for table, _, _ in LINKS),
        "DROP INDEX clause_search_vector_idx",
        "ALTER TABLE statements_clause " + ", ".join(f"DROP COLUMN {array}" for _, _, array in LINKS),
        *(f"DROP FUNCTION IF EXISTS {ids_function(table)}(bigint)" for table, _, _ in LINKS),
        "CREATE INDEX clause_search_vector_idx ON statements_clause USING gin (search_vector)",
    ]


# The links' triggers that a bulk load (generate_corpus, which writes the arrays itself) turns off.
INSERT_TRIGGERS = {table: f"{table}_clause_ids_insert" for table, _, _ in LINKS}


def link_id_values(topic_ids, party_ids):
    """A new clause's (topic_ids, party_ids) as its row holds them: sorted, no repeats."""
    return sorted(set(topic_ids)), sorted(set(party_ids))
