"""Which clauses a search page shows: the best of every match, in the order ranking all of them gives.

The order is the rank (higher first), then reading order (document date, slug, position): ``search.ranked``'s, which
ranks every match one by one. Here the same first ``offset + limit`` results are found with less work:

- SQLite: FTS5 computes ``bm25`` from its index for every match (no clause is read for it), and only the page's
  clauses are joined; at 200,000 clauses that is fast for every word.
- PostgreSQL: ``ts_rank_cd`` reads each match's tsvector from the table, ~2 s for a word in half of a million
  clauses. But with weights left at their default, a clause's ts_rank_cd is a sum of at most 0.1 per *cover* (a
  shortest stretch of text matching the query, PostgreSQL's tsrank.c), and a one-word or one-phrase query has at most
  as many covers as the clause has occurrences of any of its words. So a clause whose every query word occurs fewer
  than ``t`` times ranks at most 0.1 × (t - 1). The tiers index (statements.search_index) finds the clauses holding a
  query word at least t times; if the best ``offset + limit`` of those matching rank above that bound, no other
  clause can come before them, and they are the results. Tiers are tried from the rarest (t = 16) down; a query they
  cannot settle, a rare one (fewer than ~1% of the clauses hold its words: ranking every match costs little) or one
  with ``or``, ``-word`` or several terms, is ranked over every match.

A search pages through at most ``settings.SEARCH_CANDIDATES`` results (its ``count``): the best that many of every
match.
"""

import re
import time
from functools import lru_cache

from django.conf import settings
from django.db import connections

from statements.models import Clause
from statements.search_index import FTS_TABLE, TIERS
from statements.search_query import fts5_match

SEARCH_CONFIG = "english"
# The most a cover adds to ts_rank_cd with the default weights (every lexeme weighted D = 0.1), and a margin for its
# single-precision result.
COVER_RANK, MARGIN = 0.1, 1e-5
# Below this share of clauses for its rarest word, a query is ranked over every match (~10,000 at a million clauses).
TIERS_FROM_FREQUENCY = 0.01

PG_WINDOW_SQL = """
SELECT c.id, ts_rank_cd(c.search_vector, query) AS rank
FROM statements_clause c JOIN statements_document d ON d.id = c.document_id,
     websearch_to_tsquery(%s::regconfig, %s) AS query
WHERE c.search_vector @@ query{tiers}{filters}
ORDER BY rank DESC, d.date, d.slug, c.position
LIMIT %s
"""
TIERS_CONDITION = " AND statements_search_tiers(c.search_vector) @@ %s::tsquery"
PG_COUNT_SQL = """
SELECT count(*) FROM (
    SELECT 1 FROM statements_clause c WHERE c.search_vector @@ websearch_to_tsquery(%s::regconfig, %s){filters} LIMIT %s
) AS counted
"""
SQLITE_WINDOW_SQL = f"""
SELECT c.id, -bm25({FTS_TABLE}) AS rank
FROM {FTS_TABLE} JOIN statements_clause c ON c.id = {FTS_TABLE}.rowid
JOIN statements_document d ON d.id = c.document_id
WHERE {FTS_TABLE} MATCH %s{{filters}}
ORDER BY rank DESC, d.date, d.slug, c.position
LIMIT %s
"""
SQLITE_COUNT_SQL = f"""
SELECT count(*) FROM (
    SELECT 1 FROM {FTS_TABLE} JOIN statements_clause c ON c.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s{{filters}}
    LIMIT %s
) AS counted
"""


def ranked_window(using, selection, q, offset, limit):
    """[(clause id, rank)]: results ``offset`` to ``offset + limit`` of the search for ``q`` among the clauses
    ``selection`` selects, in ranking order."""
    connection = connections[using]
    filters, params = filter_sql(selection, using)
    needed = min(offset + limit, settings.SEARCH_CANDIDATES)
    if needed <= offset:
        return []
    if connection.vendor == "postgresql":
        found = _postgresql_top(connection, q, needed, filters, params)
    else:
        expression = fts5_match(q)
        found = [] if expression is None else _fetch(connection, SQLITE_WINDOW_SQL.format(filters=filters),
                                                      [expression, *params, needed])  # fmt: skip
    return found[offset:]


def match_count(using, selection, q):
    """How many results the search has: its matches among the clauses ``selection`` selects, at most
    SEARCH_CANDIDATES."""
    connection = connections[using]
    filters, params = filter_sql(selection, using)
    limit = settings.SEARCH_CANDIDATES
    if connection.vendor == "postgresql":
        sql, params = PG_COUNT_SQL.format(filters=filters), [SEARCH_CONFIG, q, *params, limit]
    else:
        expression = fts5_match(q)
        if expression is None:
            return 0
        sql, params = SQLITE_COUNT_SQL.format(filters=filters), [expression, *params, limit]
    return _fetch(connection, sql, params)[0][0]


def filter_sql(selection, using):
    """The selection's filters as a condition on the clause table ``c`` (" AND c.id IN (...)") and its parameters;
    none without filters. The clauses are the ORM's (``selection.queryset``): one definition of each filter."""
    if not selection.is_filtered:
        return "", []
    sql, params = selection.queryset(Clause.objects.db_manager(using).all()).values("pk").query.sql_with_params()
    return f" AND c.id IN ({sql})", list(params)


def _fetch(connection, sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _postgresql_top(connection, q, needed, filters, params):
    """The first ``needed`` results on PostgreSQL: from the tiers where they settle it (module docstring), else from
    every match."""
    lexemes = tier_lexemes(connection.alias, q)
    if lexemes:
        sql = PG_WINDOW_SQL.format(tiers=TIERS_CONDITION, filters=filters)
        for tier in sorted(TIERS, reverse=True):
            tokens = " | ".join(tsquery_lexeme(f"{lexeme}/{tier}") for lexeme in lexemes)
            found = _fetch(connection, sql, [SEARCH_CONFIG, q, tokens, *params, needed])
            if len(found) == needed and found[-1][1] > COVER_RANK * (tier - 1) + MARGIN:
                return found
    return _fetch(connection, PG_WINDOW_SQL.format(tiers="", filters=filters), [SEARCH_CONFIG, q, *params, needed])


def tsquery_lexeme(lexeme):
    """A lexeme as a tsquery operand: quoted, its quotes doubled and backslashes escaped."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


# A query the tiers can settle: one lexeme, or one phrase of lexemes ('a' <-> 'b' <2> 'c'), as querytree prints it.
LEXEME = r"'(?:[^'\\]|''|\\.)*'"
ONE_TERM = re.compile(rf"{LEXEME}(?:\s*<(?:-|\d+)>\s*{LEXEME})*")


def tier_lexemes(using, q):
    """The lexemes of ``q`` if the tiers may settle its ranking (one word or one phrase, every lexeme in at least
    TIERS_FROM_FREQUENCY of the clauses), else None."""
    return _tier_lexemes(using, q, int(time.monotonic() // STATISTICS_MAX_AGE))


@lru_cache(maxsize=256)  # popular queries recur
def _tier_lexemes(using, q, period):
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT querytree(websearch_to_tsquery(%s::regconfig, %s))", [SEARCH_CONFIG, q])
        tree = cursor.fetchone()[0]
    if not ONE_TERM.fullmatch(tree.strip()):
        return None
    lexemes = [re.sub(r"\\(.)", r"\1", quoted[1:-1].replace("''", "'")) for quoted in re.findall(LEXEME, tree)]
    frequencies = lexeme_statistics(using, period)
    if min(frequencies.get(lexeme, 0.0) for lexeme in lexemes) < TIERS_FROM_FREQUENCY:
        return None
    return tuple(dict.fromkeys(lexemes))


STATISTICS_MAX_AGE = 300  # seconds; ANALYZE (autovacuum's) changes them, and only a little


@lru_cache(maxsize=4)
def lexeme_statistics(using, period):
    """{lexeme: share of clauses that have it}, from PostgreSQL's statistics (ANALYZE's most common elements of
    ``search_vector``), read once per ``period`` (of STATISTICS_MAX_AGE). Lexemes not among them are rarer."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = 'statements_clause' AND attname = 'search_vector' AND schemaname = current_schema()"
        )
        found = cursor.fetchone()
    if found is None or not found[0]:
        return {}
    return dict(zip(*found, strict=False))  # the frequencies end with their min, max and null share: not lexemes
