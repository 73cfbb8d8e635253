"""Clause bodies built straight from database rows: the fast path of every clause list and document.

The JSON of a clause is defined once (statements.api.v1.representation); here the rows it is made from are
read. DRF's nested ModelSerializers would build an ORM instance for every clause, document, section, topic and
party of a page and run each field through its machinery; here a page is one query for the clauses (with their
document and section) and one for their topic and party links, read as named rows (``ClauseRow`` and the
columns each query adds) and turned into dicts by ``representation.clauses_json``.

The hottest paths (a page in reading order, a page of search results, a document) run fixed SQL rather than
the ORM, measured on a million clauses: compiling their ORM queries cost more than the database took to plan
and run them, and the ORM's one query for a page sorted every clause of the page's documents where the fixed SQL
reads just the page through the (document, position) index. Their filters come from the list's explicit
description (statements.selection.ClauseSelection.clause_conditions), never from a compiled queryset. The topics
and parties themselves (a vocabulary of dozens) are read once per data version, so the links query reads only
ids.
"""

from collections import defaultdict, namedtuple
from functools import lru_cache, partial
from operator import attrgetter, itemgetter

import orjson
import psycopg
from django.db import connections
from django.db.backends.sqlite3.base import SQLiteCursorWrapper
from django.utils import timezone
from psycopg import postgres
from psycopg.types.string import TextLoader
from rest_framework.reverse import reverse

from statements import search, search_ranking
from statements.api.cache import cached_for, current_version, request_version
from statements.models import link_ids
from statements.search_index import FTS_TABLE
from statements.search_query import fts5_match
from statements.selection import any_of

from .representation import (
    CLAUSE_COLUMNS,
    CLAUSE_FIELDS,
    CLAUSE_ORM_COLUMNS,
    CLAUSE_REF_FIELDS,
    DOCUMENT_FIELDS,
    SEARCH_RESULT_FIELDS,
    ClauseRow,
    RankedRow,
    Rendering,
    clause_sql_columns,
    clauses_json,
    iso_date,
    iso_date_time,
    named,
    party_ref,
    topic_ref,
)


def fixed_sql_cursor(using):
    """A cursor for this module's fixed SQL: on PostgreSQL one that binds parameters on the server, so that psycopg
    prepares a statement the connection has run ``prepare_threshold`` times (settings.DATABASE_PREPARE_THRESHOLD) and
    PostgreSQL stops planning it (planning took as long as running these index lookups). Django's own cursors bind
    on the client and are never prepared. Wrapped as Django wraps its cursors: queries are logged and counted.

    Its dates, date-times and arrays of ids load as the text PostgreSQL writes (``TEXT_LOADED``; ISO 8601 in the
    session's time zone, UTC, which Django sets), as SQLite's do: the representation writes dates as the API does
    (``iso_date``, ``iso_date_time``) once for each value a response holds, and names each set of ids once
    (``Names.named``). Parsed by psycopg's C loaders, they cost a page of 50 clauses three fifths of its fetch (and
    Django's Python loader of date-times ~10 µs a value).

    On SQLite, a cursor that turns the ``%s`` placeholders into sqlite3's ``?`` with a string replacement
    (``FixedSQLiteCursor``), not Django's regular expression.
    """
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        cursor = connection.connection.cursor(factory=FixedSQLiteCursor)
        return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    cursor = psycopg.Cursor(connection.connection)
    for oid in TEXT_LOADED:
        cursor.adapters.register_loader(oid, TextLoader)
    return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)


# What the fixed SQL's cursor reads as PostgreSQL's text: dates, date-times and the clauses' arrays of link ids.
TEXT_LOADED = (postgres.types["date"].oid, postgres.types["timestamptz"].oid, postgres.types["int8"].array_oid)


class FixedSQLiteCursor(SQLiteCursorWrapper):
    """Django's SQLite cursor, for SQL written with ``%s`` placeholders and no literal ``%``: each ``%s`` becomes ``?``
    by a string replacement. Django's cursor finds them with a regular expression (a ``%s`` not after a ``%``) that
    tries every position of the statement: 3% of the instructions of a search for a rare word, whose statement is
    700 characters. SQL with ``%%`` in it (a literal ``%``) is converted as Django converts it."""

    def convert_query(self, query, *, param_names=None):
        if param_names is None and "%%" not in query:
            return query.replace("%s", "?")
        return super().convert_query(query, param_names=param_names)


VOCABULARY_SQL = """
SELECT 0, id, position, slug, name FROM statements_topic
UNION ALL
SELECT 1, id, 0, code, short_name FROM statements_party
"""
VocabularyRow = namedtuple("VocabularyRow", "is_party id position key name")


@lru_cache(maxsize=4)
def vocabulary(using, version_token):
    """The topics and parties by id, as ({id: (rank, {...})}, {id: (rank, {...})}), per data version.

    The rank is the serializers' order: topics by (position, slug), parties by code. Dozens of rows, read in
    one query once per version (a write changes the version, so this is never stale) instead of joined into
    every links query.
    """
    with connections[using].cursor() as cursor:
        cursor.execute(VOCABULARY_SQL)
        rows = cursor.fetchall()
    rows = [VocabularyRow._make(row) for row in rows]
    topics = sorted((row.position, row.key, row.id, topic_ref(row.key, row.name)) for row in rows if not row.is_party)
    parties = sorted((row.key, row.id, party_ref(row.key, row.name)) for row in rows if row.is_party)
    return (
        Names({pk: (rank, entry) for rank, (_, _, pk, entry) in enumerate(topics)}),
        Names({pk: (rank, entry) for rank, (_, pk, entry) in enumerate(parties)}),
    )


class Names(dict):
    """Topics or parties as {id: (rank, {...})}, and ``named(ids)``: the entries of a clause's ids in the serializers'
    order, kept for each set of ids seen (a page's clauses repeat a few hundred sets of topics and of parties)."""

    # Sets of ids kept at most: beyond, named again each time (a vocabulary's every combination is never needed).
    KEPT = 20_000

    def __init__(self, ranked):
        super().__init__(ranked)
        self.rank_of = {pk: rank for pk, (rank, _) in ranked.items()}.__getitem__
        self.entry_of = {pk: entry for pk, (_, entry) in ranked.items()}
        self.kept = {}

    def named(self, ids):
        """[{...}, ...] of ``ids`` (an array's text or a list: ``id_list``), by rank. The list returned may be another
        clause's too: it is rendered, never changed."""
        key = ids if isinstance(ids, str) else tuple(ids)
        found = self.kept.get(key)
        if found is None:
            entry_of = self.entry_of
            found = [entry_of[pk] for pk in sorted(id_list(ids), key=self.rank_of)]
            if len(self.kept) < self.KEPT:
                self.kept[key] = found
        return found


def vocabulary_for(request, using):
    """The vocabulary as of the request's data version (or the current one, outside a request)."""
    version = request_version(request) if request is not None else current_version()
    return vocabulary(using, version.token)


LINKS_SQL = """
SELECT clause_id, 0, topic_id FROM statements_clausetopic WHERE {where}
UNION ALL
SELECT clause_id, 1, party_id FROM statements_clauseparty WHERE {where}
"""
# Its rows: (clause id, is party, the topic's or party's id), unpacked by name where they are read (named_links):
# there are more links than clauses, and a named tuple a link cost an export a tenth of its time.


def links_of(clause_ids=None, *, document_ids=None, using="default", request=None):
    """The topics and parties of these clauses, as {clause id: [{...}, ...]}, in the serializers' order.

    One query for both (the ids of their topic and party links; the names come from ``vocabulary``). Given
    ``document_ids`` instead, the links of every clause of those documents (an export's chunk: a few document
    ids make a much smaller query than thousands of clause ids).
    """
    ids = clause_ids if document_ids is None else document_ids
    if not ids:
        return {}, {}
    vendor = connections[using].vendor
    if document_ids is None:
        where, params = any_of("clause_id", ids, vendor)
    else:
        where, params = any_of("document_id", ids, vendor)
        where = f"clause_id IN (SELECT id FROM statements_clause WHERE {where})"
    with fixed_sql_cursor(using) as cursor:
        cursor.execute(LINKS_SQL.format(where=where), params + params)
        found = cursor.fetchall()
    return named_links_for(found, using, request)


def named_links_for(found, using, request):
    """``named_links`` with the vocabulary of the request's data version (see links_of)."""
    return with_vocabulary(named_links, found, using, request)


def with_vocabulary(name, rows, using, request):
    """``name(rows, vocabulary)`` with the vocabulary of the request's data version; read afresh from the database
    where ``rows`` name a topic or party newer than the version this process last read (API_DATA_VERSION_MAX_AGE)."""
    try:
        return name(rows, vocabulary_for(request, using))
    except KeyError:
        return name(rows, vocabulary.__wrapped__(using, None))


def named_links(found, vocabulary):
    """Link rows (clause id, is party, topic or party id) as (topics, parties) by clause, named from the vocabulary.

    Topics in the tree's order (position, slug), parties by code: what the serializers' prefetches give.
    """
    ranked = []
    for clause_id, is_party, target_id in found:
        rank, entry = vocabulary[is_party][target_id]
        ranked.append((rank, is_party, clause_id, entry))
    ranked.sort(key=itemgetter(0))  # by rank (the tuples' first item, just made): one sort, not one per clause
    links = defaultdict(list), defaultdict(list)
    for _, is_party, clause_id, entry in ranked:
        links[is_party][clause_id].append(entry)
    return links


# A run of one document's clauses, in position order (the (document, position) unique index serves it); the
# document-order column puts the runs of a page back in order. {where}: the filters on the clauses' own rows
# (ClauseSelection.clause_conditions). A run that starts deep in a document starts at the position its {skip} finds,
# not at an OFFSET, which would read and join every clause it skips.
SLICE_SQL = """
SELECT * FROM (
    SELECT {columns}, {order} AS document_order, {links}
    FROM statements_clause c
    JOIN statements_document d ON d.id = c.document_id
    JOIN statements_section s ON s.id = c.section_id
    WHERE c.document_id = %s{skip}{where}
    ORDER BY c.position LIMIT %s
) AS slice_{order}
"""
# The position a run starts at: by an index-only scan of the (document, position) index, each clause checked against
# {where} (a filter on its links reads its row: then every clause of the document up to the run's start is read).
SKIP_SQL = """ AND c.position >= (
        SELECT skipped.position FROM statements_clause skipped
        WHERE skipped.document_id = %s{where}
        ORDER BY skipped.position LIMIT 1 OFFSET %s
    )"""
# The same for the clauses of one topic or one party (ClauseSelection.facet_values): by an index-only scan of
# ClauseFacet's (facet, value, document, position) index, which holds the matching clauses alone (a deep page of
# party=kz at a million clauses: 7 buffers, where SKIP_SQL read 474 clauses from the table and checked each).
FACET_SKIP_SQL = """ AND c.position >= (
        SELECT f.position FROM statements_clausefacet f
        WHERE f.facet = {facet} AND f.value_id = %s AND f.document_id = %s
        ORDER BY f.position LIMIT 1 OFFSET %s
    )"""
# A run of the clauses of one topic and one party (ClauseSelection.facet_values: two values): their positions from
# ClauseFacet's (facet, value, document, position) index, the two values' rows of the document merged on the position,
# from the run's offset among them; then each clause by the (document, position) unique index. SLICE_SQL would read
# every clause of the document from the run's start and check both arrays: a topic's clauses that are a party's too
# are a fifth of a document's or fewer, where each matching clause looked up costs about what four read in order do.
FACET_PAIR_SLICE_SQL = """
SELECT * FROM (
    SELECT {columns}, {order} AS document_order, {links}
    FROM (
        SELECT f.position FROM statements_clausefacet f
        JOIN statements_clausefacet g
        ON g.facet = {other} AND g.value_id = %s AND g.document_id = f.document_id AND g.position = f.position
        WHERE f.facet = {facet} AND f.value_id = %s AND f.document_id = %s
        ORDER BY f.position LIMIT %s OFFSET %s
    ) AS run
    JOIN statements_clause c ON c.document_id = %s AND c.position = run.position
    JOIN statements_document d ON d.id = c.document_id
    JOIN statements_section s ON s.id = c.section_id
) AS slice_{order}
"""
# Each clause's topic and party ids, read in the query that reads the clause ({alias}: its table's alias; one round
# trip to the database fewer than a links query): on PostgreSQL the arrays on the clause's own row
# (statements.models.link_ids; two link-table lookups a clause before), on SQLite JSON arrays from the link tables.
# The fixed SQL's cursor reads either as text, a key of the sets of ids already named (Names.named), parsed (id_list)
# only for a set not seen yet: loaded as lists, psycopg parsed every id of every clause, a quarter of a page's fetch.
LINK_ID_COLUMNS = {
    "postgresql": ", ".join(f"{{alias}}.{column}" for column in link_ids.LINK_ID_COLUMNS),
    "sqlite": """(SELECT json_group_array(topic_id) FROM statements_clausetopic WHERE clause_id = {alias}.id),
       (SELECT json_group_array(party_id) FROM statements_clauseparty WHERE clause_id = {alias}.id)""",
}


def link_id_columns(alias, vendor):
    """The two columns of LINK_ID_COLUMNS for the clause table's ``alias`` in the database ``vendor``."""
    return LINK_ID_COLUMNS.get(vendor, LINK_ID_COLUMNS["sqlite"]).format(alias=alias)


LinkedRow = namedtuple("LinkedRow", [*CLAUSE_COLUMNS, "document_order", "topic_ids", "party_ids"])


def reading_order_page(page, request):
    """The clauses of ``DocumentSlices`` (pagination.PageNumberPagination.paginate_reading_order): one query for
    the runs of every document on the page and their links. Without filters on the clauses the SQL is fixed."""
    using = page.using
    vendor = connections[using].vendor
    columns, links = clause_sql_columns(vendor), link_id_columns("c", vendor)
    facets = page.selection.facet_values()
    if facets is not None and len(facets) == 2:
        sql, params = facet_pair_runs(page.slices, facets, columns, links)
    else:
        sql, params = clause_runs(page, facets, columns, links)
    if not sql:
        return []
    with fixed_sql_cursor(using) as cursor:
        cursor.execute(sql, params)
        found = sorted(named(LinkedRow, cursor.fetchall()), key=attrgetter("document_order", "position"))
    return clauses_json(found, Rendering(request, links=linked_rows_links(found, using, request)))


def clause_runs(page, facets, columns, links):
    """SQL and parameters of the page's runs (``DocumentSlices.slices``) by SLICE_SQL: each document's clauses in order
    from the run's start, checked against the filters on the clauses' own rows (ClauseSelection.clause_conditions).
    The start is found by FACET_SKIP_SQL for the one ClauseFacet value of ``facets``, else by SKIP_SQL."""
    where, filter_params = page.selection.clause_conditions("c", page.using)
    if facets:
        ((facet, value_id),) = facets
        skip, skip_params = FACET_SKIP_SQL.format(facet=facet), (value_id,)
    else:
        skip_where, skip_params = page.selection.clause_conditions("skipped", page.using)
        skip = SKIP_SQL.format(where=skip_where)
    parts, params = [], []
    for order, (document_id, offset, limit) in enumerate(page.slices):
        parts.append(
            SLICE_SQL.format(columns=columns, order=order, skip=skip if offset else "", where=where, links=links)
        )
        if offset and facets:
            params += [document_id, *skip_params, document_id, offset, *filter_params, limit]
        elif offset:
            params += [document_id, document_id, *skip_params, offset, *filter_params, limit]
        else:
            params += [document_id, *filter_params, limit]
    return " UNION ALL ".join(parts), params


def facet_pair_runs(slices, facets, columns, links):
    """SQL and parameters of the runs ``slices`` by FACET_PAIR_SLICE_SQL, for the two ClauseFacet values ``facets``
    (ClauseSelection.facet_values)."""
    (facet, value_id), (other, other_id) = facets
    parts, params = [], []
    for order, (document_id, offset, limit) in enumerate(slices):
        parts.append(FACET_PAIR_SLICE_SQL.format(columns=columns, order=order, links=links, facet=facet, other=other))
        params += [other_id, value_id, document_id, limit, offset, document_id]
    return " UNION ALL ".join(parts), params


def linked_rows_links(rows, using, request):
    """The topics and parties of ``rows`` that carry their ids (``id``, ``topic_ids``, ``party_ids``: the columns of
    LINK_ID_COLUMNS), as ``links_of`` gives them."""
    return with_vocabulary(ids_named, rows, using, request)


def ids_named(rows, vocabulary):
    """({clause id: topics}, {clause id: parties}) of ``rows`` (see linked_rows_links), each clause's in the
    serializers' order (``Names.named``)."""
    topics, parties = vocabulary
    return (
        {row.id: topics.named(row.topic_ids) for row in rows if row.topic_ids not in EMPTY_IDS},
        {row.id: parties.named(row.party_ids) for row in rows if row.party_ids not in EMPTY_IDS},
    )


# A clause without topics or without parties: an empty array (as text or a list), or NULL (PostgreSQL's NULL array).
EMPTY_IDS = ("[]", "{}", [], None)


def id_list(ids):
    """Ids from an array's text (SQLite's JSON array ``[1,2]``, PostgreSQL's array ``{1,2}``: the fixed SQL's cursor
    reads them so) or from a list (PostgreSQL's array, loaded by another cursor)."""
    if isinstance(ids, str):
        return orjson.loads(f"[{ids[1:-1]}]")
    return ids or ()


# A page of search results: the page's clauses (search_ranking.ranked_window found them and their ranks) with their
# document and section, and the snippet: ts_headline on PostgreSQL, FTS5's snippet on SQLite (which needs the MATCH).
# On SQLite, CROSS JOIN keeps the FTS5 table the outer loop, each of the page's ids one lookup in it: joined plainly,
# SQLite read the clauses by id first and ran the whole MATCH again for each (20 runs over every match of a word).
RANKED_PAGE_SQL = {
    "postgresql": f"""
SELECT {clause_sql_columns("postgresql")}, {link_id_columns("c", "postgresql")},
       ts_headline(%s::regconfig, c.text, websearch_to_tsquery(%s::regconfig, %s), %s)
FROM statements_clause c
JOIN statements_section s ON s.id = c.section_id
JOIN statements_document d ON d.id = c.document_id
WHERE c.id = ANY(%s)
""",
    "sqlite": f"""
SELECT {clause_sql_columns("sqlite")}, {link_id_columns("c", "sqlite")},
       snippet({FTS_TABLE}, 0, %s, %s, '', {search.SNIPPET_WORDS})
FROM {FTS_TABLE}
CROSS JOIN statements_clause c ON c.id = {FTS_TABLE}.rowid
JOIN statements_section s ON s.id = c.section_id
JOIN statements_document d ON d.id = c.document_id
WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid IN ({{ids}})
""",
}
# A row of RANKED_PAGE_SQL: the clause, its topic and party ids, its snippet.
RankedPageRow = namedtuple("RankedPageRow", [*CLAUSE_COLUMNS, "topic_ids", "party_ids", "headline"])


def ranked_row(row, rank):
    """A RankedPageRow as the RankedRow the representation reads, with its ``rank``: the fields taken by name."""
    return RankedRow(**{name: getattr(row, name) for name in CLAUSE_COLUMNS}, rank=rank, headline=row.headline)


HEADLINE_OPTIONS = f"StartSel={search.HIGHLIGHT_START}, StopSel={search.HIGHLIGHT_END}"


def ranked_page(selection, q, offset, limit, count, request, using):
    """Results ``offset`` to ``offset + limit`` of the search for ``q`` among the clauses ``selection`` selects (of
    ``count``: search_ranking.match_count), in the order ranking every match gives, as the API shows them."""
    window = search_ranking.ranked_window(using, selection, q, offset, limit, count, partial(cached_for, request))
    if not window:
        return []
    ids = [pk for pk, _ in window]
    vendor = connections[using].vendor
    if vendor == "postgresql":
        sql = RANKED_PAGE_SQL[vendor]
        params = [search.SEARCH_CONFIG, search.SEARCH_CONFIG, q, HEADLINE_OPTIONS, ids]
    else:
        sql = RANKED_PAGE_SQL["sqlite"].format(ids=", ".join(["%s"] * len(ids)))
        params = [search.HIGHLIGHT_START, search.HIGHLIGHT_END, fts5_match(q), *ids]
    with fixed_sql_cursor(using) if vendor == "sqlite" else connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        by_id = {row.id: row for row in named(RankedPageRow, cursor.fetchall())}
    found = [ranked_row(by_id[pk], rank) for pk, rank in window]
    links = linked_rows_links(by_id.values(), using, request)
    return clauses_json(found, Rendering(request, links=links, q=q), SEARCH_RESULT_FIELDS)


def clause_dicts(queryset, request, *, q=None):
    """The clauses of ``queryset`` (already filtered, ordered and sliced) as the API shows them.

    With ``q``, as search results: the queryset carries ``rank`` (and ``headline`` on PostgreSQL; None without).
    Three queries, whatever the number of clauses.
    """
    if q is None:
        rows = named(ClauseRow, queryset.values_list(*CLAUSE_ORM_COLUMNS))
    else:
        # rank, then headline: the ones the queryset annotates (SQLite has no headline; a query without words, no
        # rank), the others None.
        searched = RankedRow._fields[len(CLAUSE_COLUMNS) :]
        annotated = [name for name in searched if name in queryset.query.annotations]
        unannotated = [None] * (len(searched) - len(annotated))
        rows = [RankedRow(*row, *unannotated) for row in queryset.values_list(*CLAUSE_ORM_COLUMNS, *annotated)]
    links = links_of([row.id for row in rows], using=queryset.db, request=request)
    return clauses_json(rows, Rendering(request, links=links, q=q), search_fields(q))


def search_fields(q):
    """The fields of a clause, or of a search result when there is a query."""
    return CLAUSE_FIELDS if q is None else SEARCH_RESULT_FIELDS


# --- a document: its metadata and table of contents --------------------------------------------------

# The document's own columns that DocumentSerializer renders (the rest it computes: links, parties, counts).
COMPUTED_DOCUMENT_FIELDS = {"url", "parties", "signatories", "clause_count", "clauses_url"}
DOCUMENT_COLUMNS = [name for name in DOCUMENT_FIELDS if name not in COMPUTED_DOCUMENT_FIELDS]


def as_is(value):
    return value


# How DocumentSerializer renders the columns that are not plain text (SQLite hands back raw SQL's as text and 0/1).
DOCUMENT_COLUMN_JSON = {
    "date": iso_date,
    "date_is_editorial": bool,
    "is_translation": bool,
    "updated_at": lambda value: iso_date_time(value, timezone.get_current_timezone()),
}
DOCUMENT_SQL = f"SELECT id, {', '.join(DOCUMENT_COLUMNS)} FROM statements_document WHERE slug = %s"
# The document's parties (is_signatory false) and signatories, in the serializers' order once sorted here.
PEOPLE_SQL = """
SELECT 0, 0, '', '', party_id, assigned_by, rule FROM statements_document_parties WHERE document_id = %s
UNION ALL
SELECT 1, position, name, office, party_id, assigned_by, rule FROM statements_signatory WHERE document_id = %s
"""
# Every section, with its clauses (a section without clauses is one row of NULLs), in reading order.
CONTENTS_SQL = """
SELECT s.eid, s.position, s.heading, s.heading_is_editorial, c.eid, c.label, c.position
FROM statements_section s LEFT JOIN statements_clause c ON c.section_id = s.id
WHERE s.document_id = %s
ORDER BY s.position, c.position
"""
# A clause in the table of contents: what CLAUSE_REF_FIELDS read.
ClauseRef = namedtuple("ClauseRef", "document_slug eid label position")


def signatory_and_position(person):
    """PEOPLE_SQL's rows in the serializers' order: the parties, then the signatories by position."""
    is_signatory, position, *_ = person
    return is_signatory, position


def document_detail(slug, request, using="default"):
    """The document ``slug`` as DocumentDetailSerializer renders it (metadata and table of contents), or None.

    Three queries, whatever the length of the document; the clause count is the table of contents' length.
    """
    with fixed_sql_cursor(using) as cursor:
        cursor.execute(DOCUMENT_SQL, [slug])
        found = cursor.fetchone()
        if found is None:
            return None
        document_id, *values = found
        cursor.execute(PEOPLE_SQL, [document_id, document_id])
        people = sorted(cursor.fetchall(), key=signatory_and_position)
        cursor.execute(CONTENTS_SQL, [document_id])
        contents = cursor.fetchall()
    _, parties = vocabulary_for(request, using)
    party = {pk: entry for pk, (_, entry) in parties.items()}
    document = dict(zip(DOCUMENT_COLUMNS, values, strict=True))
    rendering = Rendering(request)
    sections, clauses = {}, []
    for section_eid, section_position, heading, heading_is_editorial, eid, label, position in contents:
        section = sections.get(section_eid)
        if section is None:
            section = sections[section_eid] = {
                "eid": section_eid,
                "position": section_position,
                "heading": heading,
                "heading_is_editorial": bool(heading_is_editorial),
                "clauses": [],
            }
        if eid is not None:
            clauses.append((section["clauses"], tuple.__new__(ClauseRef, (slug, eid, label, position))))
    for (section_clauses, _), clause in zip(
        clauses, clauses_json([ref for _, ref in clauses], rendering, CLAUSE_REF_FIELDS), strict=True
    ):
        section_clauses.append(clause)
    computed = {
        "url": reverse("document-detail", kwargs={"slug": slug}, request=request),
        "parties": sorted(
            (
                {**party[party_id], "assigned_by": assigned_by, "rule": rule}
                for is_signatory, _, _, _, party_id, assigned_by, rule in people
                if not is_signatory
            ),
            key=itemgetter("code"),
        ),
        "signatories": [
            {
                "position": position,
                "name": name,
                "office": office,
                "party": party[party_id],
                "assigned_by": assigned_by,
                "rule": rule,
            }
            for is_signatory, position, name, office, party_id, assigned_by, rule in people
            if is_signatory
        ],
        "clause_count": sum(len(section["clauses"]) for section in sections.values()),
        "clauses_url": reverse("document-clause-list", kwargs={"slug": slug}, request=request),
    }
    body = {
        name: computed[name] if name in computed else DOCUMENT_COLUMN_JSON.get(name, as_is)(document[name])
        for name in DOCUMENT_FIELDS
    }
    return {**body, "sections": list(sections.values())}
