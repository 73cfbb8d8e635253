"""Which clauses a search page shows: the best of every match, in the order ranking all of them gives.

The order is the rank (higher first), then reading order (document date, slug, position): ``search.ranked``'s, which
ranks every match one by one. Here the same first ``offset + limit`` results are found with less work:

- SQLite: FTS5 computes ``bm25`` from its index, but for every match (100-200 ms for a very common word at 200,000
  clauses): a search's best SEARCH_CANDIDATES results are ranked once per data version (statements.search_fts5), and
  each page and the count are read from them.
- PostgreSQL: ``ts_rank_cd`` reads each match's tsvector from the table, ~2 s for a word in half of a million
  clauses. But with weights left at their default, a clause's ts_rank_cd is a sum of at most 0.1 per *cover* (a
  shortest stretch of text matching the query, PostgreSQL's tsrank.c), and a one-word or one-phrase query has at most
  as many covers as the clause has occurrences of any of its words. So a clause whose every query word occurs fewer
  than ``t`` times ranks at most 0.1 × (t - 1). The tiers index (statements.search_index) finds the clauses holding a
  query word at least t times; if the best ``offset + limit`` of those matching rank above that bound, no other
  clause can come before them, and they are the results. Tiers are tried from the rarest (t = 16) down. A one-term
  query they cannot settle is the best of the t = 2 clauses merged with the first matches in reading order (``merged``
  says why that is exact). A query with fewer than SEARCH_CANDIDATES matches (ranking them all costs little: a topic
  or party filter is answered by the full-text index with the words, statements.models.link_ids), or with ``or``,
  ``-word`` or several terms, is ranked over every match.

A search pages through at most ``settings.SEARCH_CANDIDATES`` results (its ``count``): the best that many of every
match.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.db import connections

from statements import search_fts5
from statements.search_index import TIERS

SEARCH_CONFIG = "english"
# The most a cover adds to ts_rank_cd with the default weights (every lexeme weighted D = 0.1), and a margin for its
# single-precision result.
COVER_RANK, MARGIN = 0.1, 1e-5

# Each query gives (id, rank, then the reading order: date, slug, position) in ranking order. Each match's document is
# looked up by id (OFFSET 0 keeps it a lookup: joined, PostgreSQL hashed the whole document table for a dozen matches).
PG_WINDOW_SQL = """
SELECT c.id, ts_rank_cd(c.search_vector, query) AS rank, d.date, d.slug, c.position
FROM statements_clause c CROSS JOIN LATERAL (
         SELECT date, slug FROM statements_document WHERE id = c.document_id OFFSET 0
     ) AS d, websearch_to_tsquery(%s::regconfig, %s) AS query
WHERE c.search_vector @@ query{filters}
ORDER BY rank DESC, d.date, d.slug, c.position
LIMIT %s
"""
# The matches among the clauses holding a query word at least t times: found through the tiers index only
# (ts_match_vq is @@ that no index answers, so the planner does not intersect them with the GIN index's every match).
PG_TIER_SQL = """
SELECT c.id, ts_rank_cd(c.search_vector, query) AS rank, d.date, d.slug, c.position
FROM statements_clause c CROSS JOIN LATERAL (
         SELECT date, slug FROM statements_document WHERE id = c.document_id OFFSET 0
     ) AS d, websearch_to_tsquery(%s::regconfig, %s) AS query
WHERE statements_search_tiers(c.search_vector) @@ %s::tsquery AND ts_match_vq(c.search_vector, query){filters}
ORDER BY rank DESC, d.date, d.slug, c.position
LIMIT %s
"""
# The first matches in reading order: the documents in order, each one's matching clauses through the (document,
# position) index, until there are enough (PostgreSQL cannot know a query of common words stops early otherwise).
PG_READING_ORDER_SQL = """
SELECT x.id, x.rank, d.date, d.slug, x.position
FROM (SELECT id, date, slug FROM statements_document ORDER BY date, slug) AS d
CROSS JOIN LATERAL (
    SELECT c.id, c.position, ts_rank_cd(c.search_vector, query) AS rank
    FROM statements_clause c, websearch_to_tsquery(%s::regconfig, %s) AS query
    WHERE c.document_id = d.id AND ts_match_vq(c.search_vector, query){filters}
    ORDER BY c.position
    LIMIT %s
) AS x
ORDER BY d.date, d.slug, x.position
LIMIT %s
"""
PG_COUNT_SQL = """
SELECT count(*) FROM (
    SELECT 1 FROM statements_clause c WHERE c.search_vector @@ websearch_to_tsquery(%s::regconfig, %s){filters} LIMIT %s
) AS counted
"""


def ranked_window(using, selection, q, offset, limit, count, remember=None):
    """[(clause id, rank)]: results ``offset`` to ``offset + limit`` of the search for ``q`` among the clauses
    ``selection`` selects, in ranking order; ``count`` is ``match_count``'s. On SQLite, a slice of the results ranked
    once per data version where ``remember`` keeps it (statements.search_fts5)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        ids, ranks = search_fts5.ranking(using, selection, q, remember)
        return list(zip(ids[offset : offset + limit], ranks[offset : offset + limit], strict=True))
    needed = min(offset + limit, count)
    if needed <= offset:
        return []
    # Fewer than SEARCH_CANDIDATES results: every one is ranked, with no tiers first (under 1,000 rows, a filter
    # answered by the full-text index with the words: statements.models.link_ids).
    found = _postgresql_top(connection, q, needed, selection, every_match=count < settings.SEARCH_CANDIDATES)
    return [(pk, rank) for pk, rank, *_ in found[offset:]]


def match_count(using, selection, q, remember=None):
    """How many results the search has: its matches among the clauses ``selection`` selects, at most
    SEARCH_CANDIDATES. On PostgreSQL one statement, whose answer ``remember(name, identity, compute)`` keeps (as
    ``ranked_window``'s); on SQLite how many results ``search_fts5.ranking`` holds, the ranking ``remember`` keeps and
    the page reads too."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return len(search_fts5.ranking(using, selection, q, remember)[0])
    filters, params = filter_sql(selection, using, through_index=True)
    sql, params = PG_COUNT_SQL.format(filters=filters), [SEARCH_CONFIG, q, *params, settings.SEARCH_CANDIDATES]
    compute = lambda: _fetch(connection, sql, params)[0][0]  # noqa: E731
    identity = (using, selection.key(), settings.SEARCH_CANDIDATES, q)
    return compute() if remember is None else remember("search-count", identity, compute)


def filter_sql(selection, using, *, through_index=False):
    """The selection's filters as conditions on the clause table ``c`` (each starting with " AND ") and their
    parameters, for PostgreSQL's search statements; none without filters (SQLite ranks in statements.search_fts5).

    These are the fast paths' conditions (``ClauseSelection.conditions``, which tests compare with the ORM's). With
    ``through_index`` (the statements reading every match from the full-text index), a topic or party filter is
    answered by that index with the words (statements.models.link_ids): the index gives only the matches on the topic
    or of the party. Otherwise (the tiers' and the reading order's statements, which read few rows their own way) it is
    checked on each row read. Checking each match of the full-text index in a link table instead (an ``EXISTS`` a
    match) read every match's row: 150-300 ms for a word in 9,816 clauses of which 770 were a party's."""
    if not selection.is_filtered:
        return "", []
    return selection.conditions("c", using, through_index=through_index)


def _fetch(connection, sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _postgresql_top(connection, q, needed, selection, *, every_match):
    """The first ``needed`` results on PostgreSQL (module docstring) among the clauses ``selection`` selects: from every
    match where ``every_match`` (fewer than SEARCH_CANDIDATES) or the query has several terms; else from the tiers, or
    the tier-2 clauses and the first matches in reading order."""
    lexemes = None if every_match else one_term_lexemes(connection.alias, q)
    if lexemes is not None:
        filters, params = filter_sql(selection, connection.alias)
        sql = PG_TIER_SQL.format(filters=filters)
        for tier in sorted(TIERS, reverse=True):
            tokens = " | ".join(tsquery_lexeme(f"{lexeme}/{tier}") for lexeme in lexemes)
            found = _fetch(connection, sql, [SEARCH_CONFIG, q, tokens, *params, needed])
            if len(found) == needed and found[-1][1] > COVER_RANK * (tier - 1) + MARGIN:
                return found
        first = _fetch(connection, PG_READING_ORDER_SQL.format(filters=filters),
                       [SEARCH_CONFIG, q, *params, needed, needed])  # fmt: skip
        return merged(found, first, needed)
    filters, params = filter_sql(selection, connection.alias, through_index=True)
    return _fetch(connection, PG_WINDOW_SQL.format(filters=filters), [SEARCH_CONFIG, q, *params, needed])


def merged(best_repeated, first, needed):
    """The first ``needed`` results of a one-term query, from the best of the clauses holding one of its words twice
    or more (``best_repeated``) and the first matches in reading order (``first``).

    Exact because every other clause ranks the same, and lowest: a word held once is one cover, a phrase whose words
    are each held once is one cover of the same length; so each of them comes after every clause ranked higher and
    among the equals in reading order.
    """
    rows = {row[0]: row for row in [*best_repeated, *first]}
    return sorted(rows.values(), key=lambda row: (-row[1], *row[2:]))[:needed]


def tsquery_lexeme(lexeme):
    """A lexeme as a tsquery operand: quoted, its quotes doubled and backslashes escaped."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


# A query the tiers can settle: one lexeme, or one phrase of lexemes ('a' <-> 'b' <2> 'c'), as querytree prints it.
LEXEME = r"'(?:[^'\\]|''|\\.)*'"
ONE_TERM = re.compile(rf"{LEXEME}(?:\s*<(?:-|\d+)>\s*{LEXEME})*")


@lru_cache(maxsize=256)  # popular queries recur
def one_term_lexemes(using, q):
    """The lexemes of ``q`` (PostgreSQL) if it is one word or one phrase, without ``or`` or ``-``, else None."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT querytree(websearch_to_tsquery(%s::regconfig, %s))", [SEARCH_CONFIG, q])
        tree = cursor.fetchone()[0].strip()
    if not ONE_TERM.fullmatch(tree):
        return None
    lexemes = (re.sub(r"\\(.)", r"\1", quoted[1:-1].replace("''", "'")) for quoted in re.findall(LEXEME, tree))
    return tuple(dict.fromkeys(lexemes))
