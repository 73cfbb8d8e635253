"""SQLite: a search's results, the best ``SEARCH_CANDIDATES`` of every match, ranked once per data version (FTS5).

FTS5 computes ``bm25`` from its index, but for every match: at 200,000 clauses a very common word ("cooperation",
110,000 matches) costs 100-200 ms of bm25 whatever the page, and no index of FTS5 gives the best matches without
scoring them all (its ``ORDER BY rank`` sorts every match too). So a search's results, its best SEARCH_CANDIDATES
matches among the clauses its selection selects (the most it serves: its ``count`` and deepest page), are ranked in
one statement and kept under the data version, as counts and document maps are: every page and the count are read
from them, and any write makes a new version, so they are never stale. The first request after a start or a write
pays for the ranking; the others read a few kilobytes from the cache.

The statement (``RANKING_SQL``) scores only what the filters keep: each match is checked against them first (the
correlated ``EXISTS`` of ``ClauseSelection.clause_conditions`` and its documents' conditions, tested equal to the
ORM's filters in tests/test_selection.py), so bm25 runs for the matches kept. Then it finds the score of the
SEARCH_CANDIDATES-th best (the cut) from the scores alone, and joins only the matches scoring at least that to their
documents, for the reading order that breaks ties: the order ``search.ranked`` gives by ranking every match.
"""

from array import array

from django.conf import settings
from django.db import connections

from statements.search_index import FTS_TABLE
from statements.search_query import fts5_match

# bm25 is lower for better matches (FTS5's sign); the API's rank is its negation. CROSS JOIN keeps the FTS5 table the
# outer loop (SQLite's planner may otherwise scan the clauses and probe the index for each).
RANKING_SQL = f"""
WITH scored AS MATERIALIZED (
    SELECT {FTS_TABLE}.rowid AS id, bm25({FTS_TABLE}) AS score
    FROM {FTS_TABLE}{{joins}}
    WHERE {FTS_TABLE} MATCH %s{{conditions}}
), cut AS (
    SELECT score FROM scored ORDER BY score LIMIT 1 OFFSET %s
)
SELECT scored.id, -scored.score
FROM scored CROSS JOIN statements_clause c ON c.id = scored.id CROSS JOIN statements_document d ON d.id = c.document_id
WHERE (SELECT score FROM cut) IS NULL OR scored.score <= (SELECT score FROM cut)
ORDER BY scored.score, d.date, d.slug, c.position
LIMIT %s
"""
CLAUSES_JOIN = f" CROSS JOIN statements_clause c ON c.id = {FTS_TABLE}.rowid"
DOCUMENTS_JOIN = " CROSS JOIN statements_document d ON d.id = c.document_id"


def ranking_sql(using, selection, q):
    """The SQL and parameters of ``q``'s best SEARCH_CANDIDATES matches among the clauses ``selection`` selects, as
    rows of (clause id, rank) in ranking order; None where ``q`` can match nothing."""
    expression = fts5_match(q)
    if expression is None:
        return None
    conditions, params = selection.clause_conditions("c", using)
    documents, documents_params = selection.document_conditions("d", using)
    joins = (CLAUSES_JOIN if conditions or documents else "") + (DOCUMENTS_JOIN if documents else "")
    sql = RANKING_SQL.format(joins=joins, conditions=conditions + documents)
    limit = settings.SEARCH_CANDIDATES
    return sql, [expression, *params, *documents_params, limit - 1, limit]


def ranking(using, selection, q, remember=None):
    """``q``'s results among the clauses ``selection`` selects in the database ``using``: (clause ids, ranks), two
    arrays in ranking order, the best SEARCH_CANDIDATES of every match. ``remember(name, identity, compute)`` keeps
    them (the API passes its cache under the request's data version, ``statements.api.cache.cached_for``); without
    it they are computed."""
    identity = (using, selection.key(), q, settings.SEARCH_CANDIDATES)
    compute = lambda: rank(using, selection, q)  # noqa: E731
    return compute() if remember is None else remember("search-ranking", identity, compute)


def rank(using, selection, q):
    """``ranking``, computed: one statement (RANKING_SQL)."""
    ids, ranks = array("q"), array("d")
    statement = ranking_sql(using, selection, q)
    if statement is None:
        return ids, ranks
    with connections[using].cursor() as cursor:
        cursor.execute(*statement)
        for pk, score in cursor.fetchall():
            ids.append(pk)
            ranks.append(score)
    return ids, ranks
