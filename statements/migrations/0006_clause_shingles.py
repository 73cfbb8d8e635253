"""Text reuse on PostgreSQL: an inverted index of word shingles, kept by the database itself.

``statements_clauseshingle`` holds, for every clause, a sample of its 4-word shingles as 64-bit hashes
(the shingles whose hash is divisible by 4: about a quarter of them, the same ones in every text, so
two texts sharing a passage of a dozen words or more share sampled shingles too). A B-tree on
``hash`` (covering clause and document) answers "which clauses contain this shingle" from the index
alone; statements.similarity reads the postings of the source clause's rarest shingles.

Triggers keep the table exact whoever writes: insert, update of text or document, delete, truncate
(and COPY, which fires row triggers). It is not a Django model: nothing but this migration and
statements.similarity touch it, and SQLite (where statements.similarity compares shingles in Python)
does not have it.

The brief suggested pg_trgm; it was measured and dropped: on the 1,000,000-clause synthetic corpus a
trigram probe of one sentence ran for minutes (see README, "Text reuse").
"""

from django.db import migrations

from ._sql import run_sql

TABLE = """
    CREATE TABLE statements_clauseshingle (
        hash bigint NOT NULL,
        clause_id bigint NOT NULL,
        document_id bigint NOT NULL
    )
    """
# The sampled 4-word shingles of a text: words are runs of \\w, lower-cased.
SHINGLES_FUNCTION = r"""
    CREATE FUNCTION statements_clause_shingles(body text) RETURNS SETOF bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT DISTINCT shingle FROM (
            SELECT hashtextextended(array_to_string(words.w[i:i + 3], ' '), 0) AS shingle
            FROM (
                SELECT array_agg(match[1] ORDER BY n) AS w
                FROM regexp_matches(lower(body), '\w+', 'g') WITH ORDINALITY AS found(match, n)
            ) AS words,
            generate_series(1, coalesce(array_length(words.w, 1), 0) - 3) AS i
        ) AS shingles
        WHERE mod(shingle, 4) = 0
    $$
    """
TRIGGERS = [
    """
    CREATE FUNCTION statements_clause_index_shingles() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM statements_clauseshingle WHERE clause_id = OLD.id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO statements_clauseshingle (hash, clause_id, document_id)
            SELECT shingle, NEW.id, NEW.document_id FROM statements_clause_shingles(NEW.text) AS shingle;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION statements_clause_truncate_shingles() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE statements_clauseshingle;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER clause_shingles AFTER INSERT OR DELETE OR UPDATE OF text, document_id ON statements_clause "
    "FOR EACH ROW EXECUTE FUNCTION statements_clause_index_shingles()",
    "CREATE TRIGGER clause_shingles_truncate AFTER TRUNCATE ON statements_clause "
    "FOR EACH STATEMENT EXECUTE FUNCTION statements_clause_truncate_shingles()",
]
# Every clause's shingles, then the indexes (0008 recomputes the table the same way).
FILL = (
    "INSERT INTO statements_clauseshingle (hash, clause_id, document_id) "
    "SELECT shingle, id, document_id FROM statements_clause, statements_clause_shingles(text) AS shingle"
)
INDEXES = [
    "CREATE INDEX clauseshingle_hash_idx ON statements_clauseshingle (hash) INCLUDE (clause_id, document_id)",
    "CREATE INDEX clauseshingle_clause_idx ON statements_clauseshingle (clause_id)",
]
FORWARD = [TABLE, SHINGLES_FUNCTION, *TRIGGERS, FILL, *INDEXES]
REVERSE = [
    "DROP TRIGGER IF EXISTS clause_shingles_truncate ON statements_clause",
    "DROP TRIGGER IF EXISTS clause_shingles ON statements_clause",
    "DROP FUNCTION IF EXISTS statements_clause_truncate_shingles()",
    "DROP FUNCTION IF EXISTS statements_clause_index_shingles()",
    "DROP FUNCTION IF EXISTS statements_clause_shingles(text)",
    "DROP TABLE IF EXISTS statements_clauseshingle",
]


class Migration(migrations.Migration):
    dependencies = [("statements", "0005_data_version")]

    operations = [
        migrations.RunPython(run_sql({"postgresql": FORWARD}), run_sql({"postgresql": REVERSE}), elidable=False)
    ]
