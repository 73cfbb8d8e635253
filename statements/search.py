"""Free-text search over clause text: which clauses match a query, and the snippet that shows why.

Both databases index the text and read the same query syntax (words, "quoted phrases", ``or``, ``-word``;
statements.search_query):

- PostgreSQL: every clause has a STORED ``search_vector`` column (``to_tsvector('english', text)``, with its GIN
  index, migration 0004); queries are parsed with ``websearch_to_tsquery`` (English stemming and stop words), ranked
  with ``ts_rank_cd``, and ``ts_headline`` marks the matches in a snippet.
- SQLite: an FTS5 table over the clause text (migration 0014, statements.search_index) kept current by triggers;
  queries are translated to an FTS5 MATCH expression (``search_query.fts5_match``), ranked with ``bm25`` (its
  negation: higher is better), and FTS5's ``snippet`` marks the matches.

Search ranks every match (statements.search_ranking); ``ranked`` here is the same ranking as an ORM queryset, over
every match, exhaustively: what the fast ranking must equal (tests/test_search_ranking.py).
"""

import html
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import F, FloatField
from django.db.models.expressions import Expression, RawSQL

from statements.models import READING_ORDER
from statements.search_index import FTS_TABLE
from statements.search_query import fts5_match, query_words

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


__all__ = ["query_words"]  # the highlighter's words, from statements.search_query
MATCHING_FTS_SQL = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"


def is_postgresql(queryset):
    """True where the queryset's database is PostgreSQL (tsvector search), else SQLite (FTS5)."""
    return connections[queryset.db].vendor == "postgresql"


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
    if is_postgresql(queryset):
        return queryset.alias(search_vector=_search_vector()).filter(search_vector=_websearch_query(q))
    expression = fts5_match(q)
    if expression is None:
        return queryset.none()
    return queryset.filter(pk__in=RawSQL(MATCHING_FTS_SQL, [expression]))


def has_terms(q, vendor):
    """False where ``q`` can match nothing on this database whatever the data: on SQLite, a query without a term
    FTS5 can look for (PostgreSQL's websearch_to_tsquery decides for itself, and finds nothing for such a query)."""
    return vendor == "postgresql" or fts5_match(q) is not None


def matching_sql(alias, q, vendor, connection):
    """``matching`` as an SQL condition on the clause table's ``alias``, and its parameters (the fast paths' SQL):
    on PostgreSQL the tsvector matches the websearch query; on SQLite the FTS5 index matches its translation."""
    if vendor == "postgresql":
        return f"{alias}.search_vector @@ websearch_to_tsquery(%s::regconfig, %s)", [SEARCH_CONFIG, q]
    expression = fts5_match(q)
    if expression is None:
        return "0 = 1", []
    return f"{alias}.id IN ({MATCHING_FTS_SQL})", [expression]


class _Bm25(Expression):
    """SQLite: a clause's FTS5 relevance for an FTS5 expression, negated (higher is better), as a correlated
    subquery on the clause table's alias in whatever query it is in (the exhaustive reference ranking, ``ranked``)."""

    output_field = FloatField()

    def __init__(self, expression):
        super().__init__()
        self.expression = expression

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        sql = f"(SELECT -bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid = {alias}.id)"
        return sql, [self.expression]


def ranked(queryset, q):
    """Every clause of ``queryset`` matching ``q``, annotated with ``rank`` (higher is better) and ordered by it, then
    in reading order: the ranking of every match, computed for every match (search_ranking finds the same first
    results without). On PostgreSQL also annotated with ``headline``, ts_headline's snippet."""
    matches = matching(queryset, q)
    if matches.query.is_empty():
        return matches
    if is_postgresql(queryset):
        query = _websearch_query(q)
        matches = matches.annotate(
            rank=SearchRank(F("search_vector"), query, cover_density=True),
            headline=SearchHeadline(
                "text", query, config=SEARCH_CONFIG, start_sel=HIGHLIGHT_START, stop_sel=HIGHLIGHT_END
            ),
        )
    else:
        matches = matches.annotate(rank=_Bm25(fts5_match(q)))
    return matches.order_by("-rank", *READING_ORDER)


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
