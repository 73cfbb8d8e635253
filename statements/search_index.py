"""The full-text indexes search reads, made and remade (migration 0014, ``manage.py rebuild_search_index``).

SQLite: an FTS5 table over the clause text, ``statements_clause_fts``, with external content (the text is stored
once, in ``statements_clause``; the index holds only the words) and Porter stemming. Three triggers keep it current
whoever writes a clause; ``rebuild`` remakes it from the clauses. A migration that remakes the clause table (Django's
SQLite schema editor copies a table into a new one to alter it) drops the triggers with the old table: ``install``
puts them back, and tests/test_search_sqlite.py fails while they are missing.

PostgreSQL: the ``search_vector`` column and its GIN index (migration 0004) answer which clauses match; a second GIN
index, on ``statements_search_tiers(search_vector)``, answers which clauses hold a word at least 2, 4, 8 or 16 times:
the few clauses that can rank first among hundreds of thousands of matches (statements.search_ranking).
"""

from django.db.models import F
from django.utils import timezone

from statements.models import DataVersion

FTS_TABLE = "statements_clause_fts"
# Porter stemming over unicode61 (letters and digits make words; accents folded): the closest FTS5 has to
# PostgreSQL's English configuration, which stems too (README, "Search").
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"
SQLITE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    f"text, content='statements_clause', content_rowid='id', tokenize='{FTS_TOKENIZER}')"
)
_DELETE = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);"
_INSERT = f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text);"
SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_insert": f"AFTER INSERT ON statements_clause BEGIN {_INSERT} END",
    f"{FTS_TABLE}_delete": f"AFTER DELETE ON statements_clause BEGIN {_DELETE} END",
    f"{FTS_TABLE}_update": f"AFTER UPDATE OF text ON statements_clause BEGIN {_DELETE} {_INSERT} END",
}
SQLITE_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"
SQLITE_OPTIMIZE = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"

TIERS = (2, 4, 8, 16)
# A clause's "tier words": each of its lexemes that occurs at least t times, as "lexeme/t", for t in TIERS. IMMUTABLE:
# a function of the tsvector alone, so an index can be built on it.
TIERS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION statements_search_tiers(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_to_tsvector(coalesce(array_agg(entry.lexeme || '/' || tier), '{{}}'))
    FROM unnest(vector) AS entry, unnest('{{{",".join(map(str, TIERS))}}}'::int[]) AS tier
    WHERE cardinality(entry.positions) >= tier
$$
"""
TIERS_INDEX = "clause_search_tiers_idx"
POSTGRESQL_FORWARD = [
    TIERS_FUNCTION,
    f"CREATE INDEX IF NOT EXISTS {TIERS_INDEX} ON statements_clause USING gin (statements_search_tiers(search_vector))",
]
POSTGRESQL_REVERSE = [
    f"DROP INDEX IF EXISTS {TIERS_INDEX}",
    "DROP FUNCTION IF EXISTS statements_search_tiers(tsvector)",
]


def install(connection):
    """Create what search needs on ``connection`` where missing: on SQLite the FTS5 table and its triggers (filled
    from the clauses if it was missing), on PostgreSQL the tiers function and index. Returns a line saying so."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS_TABLE])
            existed = cursor.fetchone() is not None
            cursor.execute(SQLITE_TABLE)
            for name, body in SQLITE_TRIGGERS.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            if not existed:
                cursor.execute(SQLITE_REBUILD)
            return f"FTS5 table {FTS_TABLE} and its triggers {'in place' if existed else 'created and filled'}"
        if connection.vendor == "postgresql":
            for statement in POSTGRESQL_FORWARD:
                cursor.execute(statement)
            return f"tiers index {TIERS_INDEX} in place"
    return f"nothing to do on {connection.vendor}"


def uninstall(connection):
    """Drop what ``install`` creates (the reverse of migration 0014)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            for statement in POSTGRESQL_REVERSE:
                cursor.execute(statement)


def optimize(connection):
    """On SQLite, merge the FTS5 index into one segment (FTS5's 'optimize'); elsewhere nothing.

    Rows written one at a time (the triggers) leave FTS5 a segment per level of its merge tree, 15 at 200,000
    clauses, and every lookup opens each of them: a page's snippets (MATCH with ``rowid =``, one lookup a result) took
    15 ms for a phrase against 0.6 ms merged. A bulk load ends with this (generate_corpus), as ``rebuild`` does.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_OPTIMIZE)


def rebuild(connection):
    """Remake the index from the clauses (``install`` first, so triggers missing are put back): on SQLite FTS5's
    'rebuild'; on PostgreSQL REINDEX of the search indexes (the tsvector column itself is generated, always current).
    Then the data version is bumped: what search answers may have changed, so cached counts and pages are stale.
    """
    done = install(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(SQLITE_REBUILD)
            cursor.execute(SQLITE_OPTIMIZE)
        elif connection.vendor == "postgresql":
            cursor.execute("REINDEX INDEX clause_search_vector_idx")
            cursor.execute(f"REINDEX INDEX {TIERS_INDEX}")
    DataVersion.objects.using(connection.alias).filter(pk=1).update(version=F("version") + 1, changed_at=timezone.now())
    return done + "; rebuilt"
