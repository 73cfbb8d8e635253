"""Shingle hashes Python can compute too: the first 8 bytes of the shingle's MD5 (was hashtextextended).

The shingles are the same (sampled 4-word runs of lower(text)'s \\w runs, a quarter of them kept); only the hash
changes, so that ``generate_corpus`` can compute a bulk load's shingles in Python (statements.similarity
.text_shingles) while it generates the text, instead of running this function a million times inside PostgreSQL.
The words come from one regexp_split_to_array (faster than regexp_matches and array_agg). The table is recomputed;
the triggers call the function by name and need no change. On SQLite this migration does nothing.
"""

from importlib import import_module

from django.db import migrations

from ._sql import run_sql

# The split runs once per text: OFFSET 0 keeps the planner from copying it into every use of `words.w`.
SHINGLES_MD5 = r"""
    CREATE OR REPLACE FUNCTION statements_clause_shingles(body text) RETURNS SETOF bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT DISTINCT shingle FROM (
            SELECT ('x' || left(md5(w[i] || ' ' || w[i + 1] || ' ' || w[i + 2] || ' ' || w[i + 3]), 16))
                ::bit(64)::bigint AS shingle
            FROM (SELECT array_remove(regexp_split_to_array(lower(body), '\W+'), '') AS w OFFSET 0) AS words,
                generate_series(1, cardinality(w) - 3) AS i
        ) AS shingles
        WHERE mod(shingle, 4) = 0
    $$
"""
MIGRATION_0006 = import_module("statements.migrations.0006_clause_shingles")  # a module name cannot start with a digit
# Filling the table without its indexes and building them afterwards is several times faster.
RECOMPUTE = [
    "SET LOCAL statement_timeout = 0",  # the API's timeout is for requests; this reads every clause
    "TRUNCATE statements_clauseshingle",
    "DROP INDEX clauseshingle_hash_idx",
    "DROP INDEX clauseshingle_clause_idx",
    MIGRATION_0006.FILL,  # INSERT … SELECT statements_clause_shingles(text) for every clause
    *MIGRATION_0006.INDEXES,
]


class Migration(migrations.Migration):
    dependencies = [("statements", "0007_history")]

    operations = [
        migrations.RunPython(
            run_sql({"postgresql": [SHINGLES_MD5, *RECOMPUTE]}),
            run_sql(
                {
                    "postgresql": [
                        MIGRATION_0006.SHINGLES_FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
                        *RECOMPUTE,
                    ]
                }
            ),
            elidable=False,
        )
    ]
