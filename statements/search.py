"""Free-text search over clause text.

On PostgreSQL this is real full-text search: every clause has a STORED ``search_vector`` column
(``to_tsvector('english', text)``, added with its GIN index by migration 0004), queries are parsed
with ``websearch_to_tsquery`` (quoted phrases, ``or``, ``-word``; English stemming), results are
ranked with ``ts_rank_cd`` and ``ts_headline`` marks the matches in a snippet.

Ranking reads every candidate's tsvector from the table, and a very common word matches most of a
million clauses (~0.7 s to rank them all). So search ranks a bounded candidate set: the first
``settings.SEARCH_CANDIDATES`` (default 1,000) matching clauses the database finds, in storage order
(roughly the order they were added). A query with fewer matches is ranked in full, as before; one with
more returns the best of those candidates, and its ``count`` is the number of candidates. More words,
a quoted phrase or a filter narrow the matches; ``/clauses/?q=`` lists and counts every match. A query of
common words finds its candidates by reading the table's first blocks rather than through the index
(``candidates``, SCAN_FROM_FREQUENCY): the same clauses, without the index's bitmap of every match.

SQLite has no such thing, so there the fallback finds the clauses that contain *every* word of the
query (case-insensitive substring match, ASCII case folding as SQLite's LOWER does; websearch
operators are not interpreted) and ranks them by a simple score: how many times the query's words
occur in the clause, plus how many times the whole query occurs as a phrase. Its snippet marks the
words the same way, so the response has the same shape on both databases.
"""

import html
import math
import re
import time
from functools import lru_cache

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import F, FloatField, Q, Value
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import Cast, Length, Lower, Replace

from statements.models import READING_ORDER

SEARCH_CONFIG = "english"
MARK_START, MARK_END = "<mark>", "</mark>"
# What the highlighters (ts_headline, ``highlight``) put around a match: two private-use characters, not the markup
# itself, so that the snippet can be HTML-escaped first and marked after (``marked``). A clause is data, and its own
# "<img onerror=...>" must reach a client setting the snippet as HTML as text, next to the only markup: <mark>.
HIGHLIGHT_START, HIGHLIGHT_END = "\ue000", "\ue001"
# Longer queries are refused (400): PostgreSQL's time to match and highlight grows with the square of the
# words (2,000 words took over 15 s on the 61-clause corpus), so an unbounded q is a denial of service.
MAX_QUERY_LENGTH = 500
# Like ts_headline's defaults: a fragment of at most 35 words.
SNIPPET_WORDS = 35
SNIPPET_WORDS_BEFORE = 8


def is_full_text(queryset):
    """True where the queryset's database does real full-text search (PostgreSQL)."""
    return connections[queryset.db].vendor == "postgresql"


def query_words(q):
    """The lowercase words of a query, in order, without repeats (the SQLite fallback's terms)."""
    return list(dict.fromkeys(re.findall(r"\w+", q.lower())))


class _SearchVectorColumn(Expression):
    """The clause table's ``search_vector`` column, qualified with the table's alias in whatever query it is in.

    The generated column is not a model field (SQLite cannot compute it), so it is named in SQL; the alias
    matters in subqueries, where the clause table is U0 and a fixed name would refer to the outer query.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name('search_vector')}", []


def _search_vector():
    return _SearchVectorColumn()


def _websearch_query(q):
    return SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)


def matching(queryset, q):
    """Clauses whose text matches the query ``q`` (unranked: the queryset keeps its ordering)."""
    if is_full_text(queryset):
        return queryset.alias(search_vector=_search_vector()).filter(search_vector=_websearch_query(q))
    words = query_words(q)
    if not words:
        return queryset.none()
    return queryset.filter(*(Q(text__icontains=word) for word in words))


def has_terms(q, vendor):
    """False where ``q`` can match nothing on this database whatever the data: on SQLite, a query without words
    (PostgreSQL's websearch_to_tsquery decides for itself, and finds nothing for such a query)."""
    return vendor == "postgresql" or bool(query_words(q))


def matching_sql(alias, q, vendor, connection):
    """``matching`` as an SQL condition on the clause table's ``alias``, and its parameters (the fast paths' SQL):
    on PostgreSQL the tsvector matches the websearch query; on SQLite the text holds every word (``icontains``)."""
    if vendor == "postgresql":
        return f"{alias}.search_vector @@ websearch_to_tsquery(%s::regconfig, %s)", [SEARCH_CONFIG, q]
    words = query_words(q)
    conditions = " AND ".join([f"{alias}.text LIKE %s ESCAPE '\\'"] * len(words)) or "0 = 1"
    return f"({conditions})", [f"%{connection.ops.prep_for_like_query(word)}%" for word in words]


def _occurrences(needle):
    """SQL: how many times ``needle`` (lowercase) occurs in the clause text, case-insensitively."""
    text = Lower("text")
    return (Length(text) - Length(Replace(text, Value(needle), Value("")))) / len(needle)


def ranked(queryset, q, *, filtered=True):
    """Clauses matching ``q``, annotated with ``rank`` (higher is better) and ordered by it. ``filtered`` says
    whether ``queryset`` is narrowed by other filters (without them, the candidates can come from fixed SQL).

    On PostgreSQL they are also annotated with ``headline``, the ts_headline snippet; ``snippet()``
    builds the SQLite one from the text.
    """
    matches = matching(queryset, q)
    if not matches.query.is_empty():
        # Rank a bounded candidate set: the first SEARCH_CANDIDATES matches in storage order, not every match.
        queryset = queryset.model.objects.filter(pk__in=candidates(queryset, matches, q, filtered=filtered))
    else:
        queryset = matches
    if is_full_text(queryset):
        query = _websearch_query(q)
        queryset = queryset.alias(search_vector=_search_vector()).annotate(
            rank=SearchRank(F("search_vector"), query, cover_density=True),
            headline=SearchHeadline(
                "text", query, config=SEARCH_CONFIG, start_sel=HIGHLIGHT_START, stop_sel=HIGHLIGHT_END
            ),
        )
    else:
        words = query_words(q)
        if not words:
            return queryset
        score = sum((_occurrences(word) for word in words), Value(0))
        phrase = " ".join(words)
        if len(words) > 1:
            score += _occurrences(phrase)
        queryset = queryset.annotate(rank=Cast(score, FloatField()))
    return queryset.order_by("-rank", *READING_ORDER)


# How the candidates are found. GIN answers a query with a bitmap of every clause that has its words, whatever the
# LIMIT: for words in 5% of a million clauses, ~50,000 entries built in 13-18 ms before the first row is read, and a
# phrase of such words costs as much (PostgreSQL, taking the words for independent, guesses a hundred times fewer
# matches and so never reads the table instead). Reading the table from its first block and stopping at the
# SEARCH_CANDIDATES-th match reads ~20,000 clauses there, ~10 ms, but a whole million for a rare word. So where every
# word of the query is at least this common (PostgreSQL's statistics of the column; below it the index was as fast),
# the first blocks are read (enough of them to hold twice the candidates at that frequency) and the index serves the
# rest of the table only if they hold too few: a rare phrase of common words pays for both, ~25 ms more at worst.
# Either way the candidates are the first matches in storage order: the same clauses.
SCAN_FROM_FREQUENCY = 0.04
CANDIDATES_SQL = """
SELECT * FROM (
    (SELECT {columns} FROM statements_clause WHERE ctid < %s::tid
        AND ts_match_vq(search_vector, websearch_to_tsquery(%s::regconfig, %s)) LIMIT %s)
    UNION ALL
    (SELECT {columns} FROM statements_clause WHERE ctid >= %s::tid
        AND search_vector @@ websearch_to_tsquery(%s::regconfig, %s) LIMIT %s)
) AS candidates LIMIT %s
"""
INDEX_CANDIDATES_SQL = """
SELECT {columns} FROM statements_clause WHERE search_vector @@ websearch_to_tsquery(%s::regconfig, %s) LIMIT %s
"""


def candidates(queryset, matches, q, *, filtered):
    """The first SEARCH_CANDIDATES clauses of ``matches`` (``queryset`` matching ``q``) in storage order, for pk__in.

    Without filters, on PostgreSQL, a query of common words takes them from a scan of the table's first blocks
    (``ts_match_vq`` is ``@@`` that no index can answer); see SCAN_FROM_FREQUENCY.
    """
    first = matches.order_by().values("pk")[: settings.SEARCH_CANDIDATES]
    if not is_full_text(queryset) or filtered:
        return first
    sql, params = candidates_sql(queryset.db, q)
    return RawSQL(sql, params)


def candidates_sql(using, q, columns="id"):
    """SQL and parameters for the first SEARCH_CANDIDATES clauses matching ``q`` (no other filter) in storage order,
    on PostgreSQL: these ``columns`` of them, from the first blocks and then the index, or the index alone."""
    limit = settings.SEARCH_CANDIDATES
    pages = scan_pages(using, q, limit)
    if pages is None:
        return INDEX_CANDIDATES_SQL.format(columns=columns), [SEARCH_CONFIG, q, limit]
    boundary = f"({pages},0)"
    sql = CANDIDATES_SQL.format(columns=columns)
    return sql, [boundary, SEARCH_CONFIG, q, limit, boundary, SEARCH_CONFIG, q, limit, limit]


def candidate_count(using, q):
    """How many candidates ``q`` has (no other filter, PostgreSQL): its matches, at most SEARCH_CANDIDATES."""
    sql, params = candidates_sql(using, q)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS counted", params)
        return cursor.fetchone()[0]


def scan_pages(using, q, limit):
    """How many of the clause table's first blocks to read for ``limit`` matches of ``q``, or None: use the index.

    None unless every word of the query is in at least SCAN_FROM_FREQUENCY of the clauses (an "or" query, or one
    without words, always uses the index).
    """
    return _scan_pages(using, q, limit, int(time.monotonic() // STATISTICS_MAX_AGE))


@lru_cache(maxsize=256)  # a search asks twice (its count's queryset and its page), and popular queries recur
def _scan_pages(using, q, limit, period):
    frequencies, rows_per_page = lexeme_statistics(using, period)
    if not frequencies:
        return None
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT querytree(websearch_to_tsquery(%s::regconfig, %s))", [SEARCH_CONFIG, q])
        tree = cursor.fetchone()[0]
    lexemes = re.findall(r"'((?:[^']|'')*)'", tree)
    if not lexemes or "|" in tree.replace("''", ""):
        return None
    frequency = min(frequencies.get(lexeme.replace("''", "'"), 0.0) for lexeme in lexemes)
    if frequency < SCAN_FROM_FREQUENCY:
        return None
    return math.ceil(2 * limit / frequency / rows_per_page)


STATISTICS_MAX_AGE = 300  # seconds; ANALYZE (autovacuum's) changes them, and only a little


@lru_cache(maxsize=4)
def lexeme_statistics(using, period):
    """({lexeme: share of clauses that have it}, clauses per block of the table), from PostgreSQL's statistics
    (ANALYZE's most common elements of ``search_vector``), read once per ``period`` (of STATISTICS_MAX_AGE)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples / GREATEST(c.relpages, 1) "
            "FROM pg_class c JOIN pg_stats s ON s.tablename = c.relname AND s.attname = 'search_vector' "
            "WHERE c.oid = 'statements_clause'::regclass AND s.schemaname = current_schema()"
        )
        found = cursor.fetchone()
    if found is None or not found[0]:
        return {}, 1.0
    lexemes, frequencies, rows_per_page = found
    return dict(zip(lexemes, frequencies, strict=False)), max(rows_per_page, 1.0)  # then min and max: not lexemes


def highlight(text, q):
    """The SQLite highlighter: up to 35 words of ``text`` around the first match, each matching word between
    HIGHLIGHT_START and HIGHLIGHT_END (as ts_headline does on PostgreSQL)."""
    words = query_words(q)
    tokens = text.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "").split()
    if not words or not tokens:
        return text
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    first = next((i for i, token in enumerate(tokens) if pattern.search(token)), 0)
    start = max(0, min(first - SNIPPET_WORDS_BEFORE, len(tokens) - SNIPPET_WORDS))
    found = [
        re.sub(
            r"\w*(?:" + pattern.pattern + r")\w*", lambda m: HIGHLIGHT_START + m[0] + HIGHLIGHT_END, token, flags=re.I
        )
        for token in tokens[start : start + SNIPPET_WORDS]
    ]
    return " ".join(found)


def marked(highlighted):
    """HTML from a highlighter's output: the text escaped (``&``, ``<``, ``>``), then each match in <mark>…</mark>."""
    escaped = html.escape(highlighted, quote=False)
    return escaped.replace(HIGHLIGHT_START, MARK_START).replace(HIGHLIGHT_END, MARK_END)


def snippet(text, q, headline=None):
    """A clause's snippet for ``q``, as HTML whose only markup is <mark>: ts_headline's ``headline`` on PostgreSQL,
    else ``highlight()``'s, escaped and marked."""
    return marked(headline if headline is not None else highlight(text, q))
