"""Clause bodies built straight from database rows: the fast path of every clause list and document.

ClauseSerializer and DocumentDetailSerializer document the objects and serialize single clauses; lists of
clauses and documents' tables of contents are built here instead, with the same JSON (tests compare the two
on the whole corpus). DRF's nested ModelSerializers would build an ORM instance for every clause, document,
section, topic and party of a page and run each field through its machinery; here a page is one query for
the clauses (with their document and section) and one for their topic and party links, assembled into
dicts, and each clause URL is formatted from one reversed template instead of reversed one by one.

The hottest paths (a page in reading order, a document) run fixed SQL rather than the ORM, measured on a
million clauses: compiling their ORM queries cost more than the database took to plan and run them, and
the ORM's one query for a page sorted every clause of the page's documents where the fixed SQL reads
just the page through the (document, position) index. The topics and parties themselves (a vocabulary
of dozens) are read once per data version, so the links query reads only ids.
"""

import datetime
from collections import defaultdict
from functools import lru_cache
from operator import itemgetter

import orjson
import psycopg
from django.db import connections, transaction
from django.urls import reverse as django_reverse
from django.utils import timezone
from psycopg.types.datetime import TimestamptzLoader
from rest_framework.reverse import reverse

from statements import search
from statements.api.cache import cached_for_query, current_version, request_version
from statements.api.pagination import DOCUMENT_MAJOR_ORDERS, DocumentSlices, document_map
from statements.api.v1.representation import DOCUMENT_FIELDS
from statements.models import Document, Section


def fixed_sql_cursor(using):
    """A cursor for this module's fixed SQL: on PostgreSQL one that binds parameters on the server, so that psycopg
    prepares a statement the connection has run ``prepare_threshold`` times (settings.DATABASE_PREPARE_THRESHOLD) and
    PostgreSQL stops planning it (planning took as long as running these index lookups). Django's own cursors bind
    on the client and are never prepared. Wrapped as Django wraps its cursors: queries are logged and counted.

    Its date-times load with psycopg's own (C) loader, aware in the session's time zone (UTC, which Django sets),
    not Django's Python subclass of it, which cost ~10 µs a value.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    cursor = psycopg.Cursor(connection.connection)
    cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
    return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)


CLAUSE_COLUMNS = (
    "pk",
    "document__slug",
    "document__title",
    "document__date",
    "document__kind",
    "section__eid",
    "section__heading",
    "section__heading_is_editorial",
    "position",
    "eid",
    "label",
    "text",
    "updated_at",
)


def iso_date_time(value, zone):
    """A date-time as DRF's DateTimeField renders it (ISO 8601 in the current time zone, 'Z' for UTC), but fast:
    DRF's goes through the time-zone machinery for every value, a fifth of an export's time.

    Also takes the text SQLite hands back from raw SQL (naive UTC, as Django stores it there).
    """
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    if not (is_utc(zone) and value.utcoffset() == NO_OFFSET):  # the database's UTC values need no conversion
        value = value.astimezone(zone)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


NO_OFFSET = datetime.timedelta(0)


@lru_cache(maxsize=8)
def is_utc(zone):
    return str(zone) == "UTC"


def iso_date(value):
    """A date as DRF's DateField renders it; SQLite hands back raw SQL's dates as that text already."""
    return value if isinstance(value, str) else value.isoformat()


SLUG, EID = "__slug__", "__eid__"


def clause_url_template(request, *, keep_format=True):
    """A function (slug, eid) -> the clause's absolute URL, reversed once per request.

    Like the serializers, it keeps a ``?format=`` override of the request, except in exports, whose own
    ``format`` parameter is no renderer override.
    """
    reverse_url = reverse if keep_format else request.versioning_scheme.reverse
    template = reverse_url("document-clause-detail", kwargs={"slug": SLUG, "eid": EID}, request=request)
    before, rest = template.split(SLUG, 1)
    middle, after = rest.split(EID, 1)
    return lambda slug, eid: f"{before}{slug}{middle}{eid}{after}"


def html_url_template(request):
    """A function (slug, eid) -> the clause on its document's reading page (``html_url``), reversed once."""
    before, after = request.build_absolute_uri(django_reverse("document-page", args=[SLUG])).split(SLUG, 1)
    return lambda slug, eid: f"{before}{slug}{after}#{eid}"


VOCABULARY_SQL = """
SELECT 0, id, position, slug, name FROM statements_topic
UNION ALL
SELECT 1, id, 0, code, short_name FROM statements_party
"""


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
    topics = sorted((position, key, pk, {"slug": key, "name": name}) for is_party, pk, position, key, name in rows
                    if not is_party)  # fmt: skip
    parties = sorted((key, pk, {"code": key, "short_name": name}) for is_party, pk, _, key, name in rows if is_party)
    return (
        {pk: (rank, entry) for rank, (_, _, pk, entry) in enumerate(topics)},
        {pk: (rank, entry) for rank, (_, pk, entry) in enumerate(parties)},
    )


def vocabulary_for(request, using):
    """The vocabulary as of the request's data version (or the current one, outside a request)."""
    version = request_version(request) if request is not None else current_version()
    return vocabulary(using, version.token)


LINKS_SQL = """
SELECT clause_id, 0, topic_id FROM statements_clausetopic WHERE {where}
UNION ALL
SELECT clause_id, 1, party_id FROM statements_clauseparty WHERE {where}
"""


def any_of(column, values, vendor):
    """``column`` is one of ``values``, as SQL and its parameters: on PostgreSQL one array parameter (the statement is
    the same for any number of values, so it is prepared once; psycopg parses a statement with over 50 parameters
    anew every time), elsewhere a list of placeholders."""
    if vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


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
    try:
        return named_links(found, vocabulary_for(request, using))
    except KeyError:  # a topic or party newer than the version this process last read (API_DATA_VERSION_MAX_AGE)
        return named_links(found, vocabulary.__wrapped__(using, None))


def named_links(found, vocabulary):
    """Rows of (clause id, is party, topic or party id) as (topics, parties) by clause, named from the vocabulary.

    Topics in the tree's order (position, slug), parties by code: what the serializers' prefetches give.
    """
    found.sort(key=lambda row: vocabulary[row[1]][row[2]][0])  # one sort, not one per clause
    links = defaultdict(list), defaultdict(list)
    for clause_id, is_party, pk in found:
        links[is_party][clause_id].append(vocabulary[is_party][pk][1])
    return links


def clause_page(page, request, *, q=None):
    """The clauses of a page from ``PageNumberPagination.paginate_clauses``, as ClauseSerializer renders them."""
    if isinstance(page, DocumentSlices):
        return reading_order_page(page, request)
    return clause_dicts(page, request, q=q)


# A run of one document's clauses, in position order (the (document, position) unique index serves it); the
# document-order column puts the runs of a page back in order. {where}: the filters, as "AND c.id IN (...)". A run
# that starts deep in a document starts at the position an index-only scan finds (SKIP_SQL), not at an OFFSET, which
# would read and join every clause it skips.
SLICE_SQL = """
SELECT * FROM (
    SELECT c.id, d.slug, d.title, d.date, d.kind, s.eid, s.heading, s.heading_is_editorial, c.position, c.eid,
           c.label, c.text, c.updated_at, {order} AS document_order
    FROM statements_clause c
    JOIN statements_document d ON d.id = c.document_id
    JOIN statements_section s ON s.id = c.section_id
    WHERE c.document_id = %s{skip}{where}
    ORDER BY c.position LIMIT %s
) AS slice_{order}
"""
SKIP_SQL = """ AND c.position >= (
        SELECT skipped.position FROM statements_clause skipped
        WHERE skipped.document_id = %s{where}
        ORDER BY skipped.position LIMIT 1 OFFSET %s
    )"""
# The page's runs with each clause's topic and party ids, read in the same query (an index lookup a clause; one round
# trip to the database fewer than a links query): arrays on PostgreSQL, comma-separated text on SQLite.
LINKED_PAGE_SQL = {
    "postgresql": """
SELECT page.*, ARRAY(SELECT topic_id FROM statements_clausetopic WHERE clause_id = page.id),
       ARRAY(SELECT party_id FROM statements_clauseparty WHERE clause_id = page.id)
FROM ({runs}) AS page""",
    "sqlite": """
SELECT page.*, (SELECT group_concat(topic_id) FROM statements_clausetopic WHERE clause_id = page.id),
       (SELECT group_concat(party_id) FROM statements_clauseparty WHERE clause_id = page.id)
FROM ({runs}) AS page""",
}


def reading_order_page(page, request):
    """The clauses of ``DocumentSlices``: one query for the runs of every document on the page and their links.

    The filters of the page's queryset become ``c.id IN (<its SQL>)`` in each run; without filters the SQL is
    fixed and nothing is compiled.
    """
    queryset = page.queryset
    where = skip_where = ""
    filter_params = []
    if queryset.query.where.children:
        sql, filter_params = queryset.order_by().values("pk").query.sql_with_params()
        where, skip_where = f" AND c.id IN ({sql})", f" AND skipped.id IN ({sql})"
    parts, params = [], []
    for order, (document_id, offset, limit) in enumerate(page.slices):
        skip = SKIP_SQL.format(where=skip_where) if offset else ""
        parts.append(SLICE_SQL.format(order=order, skip=skip, where=where))
        params += [document_id, *((document_id, *filter_params, offset) if offset else ()), *filter_params, limit]
    if not parts:
        return []
    vendor = connections[queryset.db].vendor
    sql = LINKED_PAGE_SQL.get(vendor, LINKED_PAGE_SQL["sqlite"]).format(runs=" UNION ALL ".join(parts))
    with fixed_sql_cursor(queryset.db) as cursor:
        cursor.execute(sql, params)
        found = sorted(cursor.fetchall(), key=itemgetter(13, 8))  # document order, position
    links = [(row[0], 0, pk) for row in found for pk in id_list(row[14])]
    links += [(row[0], 1, pk) for row in found for pk in id_list(row[15])]
    return build(
        [row[:13] for row in found],
        clause_url_template(request),
        links=named_links_for(links, queryset.db, request),
        html_url=html_url_template(request),
    )


def id_list(ids):
    """Ids from an array (PostgreSQL) or a comma-separated text (SQLite's group_concat; None for none)."""
    if ids is None or isinstance(ids, list):
        return ids or ()
    return [int(pk) for pk in ids.split(",")]


# A page of ranked search results on PostgreSQL, without filters: the candidates (search.candidates_sql) carry what
# ranking and ordering need (their rank from the tsvector the scan has just read, their document's date and slug),
# and only the page's clauses are read again, joined with their sections and highlighted (OFFSET 0 keeps each
# candidate's document a lookup by id: joined, PostgreSQL hashed the whole document table, 5 ms, for a dozen
# candidates). The ORM's query for the
# same page (search.ranked) looks every candidate up again by id and joins each with its section: a third of a
# phrase's time at a million clauses.
RANKED_PAGE_SQL = """
WITH candidates AS ({candidates}),
ranked AS (
    SELECT candidate.id, candidate.section_id, candidate.position, d.slug, d.title, d.date, d.kind,
           ts_rank_cd(candidate.search_vector, websearch_to_tsquery(%s::regconfig, %s)) AS rank
    FROM candidates candidate CROSS JOIN LATERAL (
        SELECT slug, title, date, kind FROM statements_document WHERE id = candidate.document_id OFFSET 0
    ) AS d
    ORDER BY rank DESC, d.date, d.slug, candidate.position
    LIMIT %s OFFSET %s
)
SELECT c.id, ranked.slug, ranked.title, ranked.date, ranked.kind, s.eid, s.heading, s.heading_is_editorial,
       ranked.position, c.eid, c.label, c.text, c.updated_at, ranked.rank,
       ts_headline(%s::regconfig, c.text, websearch_to_tsquery(%s::regconfig, %s), %s)
FROM ranked
JOIN statements_clause c ON c.id = ranked.id
JOIN statements_section s ON s.id = ranked.section_id
ORDER BY ranked.rank DESC, ranked.date, ranked.slug, ranked.position
"""
HEADLINE_OPTIONS = f"StartSel='{search.MARK_START}', StopSel='{search.MARK_END}'"


def ranked_page(q, offset, limit, request, using):
    """Results ``offset`` to ``offset + limit`` of the search for ``q`` (no filters, PostgreSQL) as
    SearchResultSerializer renders them, from RANKED_PAGE_SQL: the same clauses in the same order as the ORM's
    ranked queryset (search.ranked) gives ``clause_dicts``."""
    config = search.SEARCH_CONFIG
    candidates, params = search.candidates_sql(using, q, columns="id, document_id, section_id, position, search_vector")
    with connections[using].cursor() as cursor:
        cursor.execute(
            RANKED_PAGE_SQL.format(candidates=candidates),
            [*params, config, q, limit, offset, config, config, q, HEADLINE_OPTIONS],
        )
        found = cursor.fetchall()
    links = links_of([row[0] for row in found], using=using, request=request)
    return build(found, clause_url_template(request), q=q, links=links, html_url=html_url_template(request))


def clause_dicts(queryset, request, *, q=None):
    """The clauses of ``queryset`` (already filtered, ordered and sliced) as ClauseSerializer would render them.

    With ``q``, as SearchResultSerializer would: the queryset carries ``rank`` (and ``headline`` on PostgreSQL).
    Three queries, whatever the number of clauses.
    """
    extra = ("rank", "headline") if q is not None else ()
    columns = CLAUSE_COLUMNS + tuple(name for name in extra if name in queryset.query.annotations)
    rows = list(queryset.values_list(*columns))
    links = links_of([row[0] for row in rows], using=queryset.db, request=request)
    return build(rows, clause_url_template(request), q=q, links=links, html_url=html_url_template(request))


def build(rows, url, *, q=None, links, html_url):
    """Clause dicts from rows of CLAUSE_COLUMNS (plus rank and headline with ``q``) and their (topics, parties).

    A page's clauses come from a few documents and sections: each one's dict is made once and shared.
    """
    topics, parties = links
    zone = timezone.get_current_timezone()
    documents, sections, date_times = {}, {}, {}
    results = []
    for row in rows:
        pk, slug, title, date, kind, section_eid, heading, heading_is_editorial, position, eid, label, text = row[:12]
        document = documents.get(slug)
        if document is None:
            document = documents[slug] = {"slug": slug, "title": title, "date": iso_date(date), "kind": kind}
        section = sections.get((slug, section_eid))
        if section is None:
            section = sections[slug, section_eid] = {
                "eid": section_eid,
                "heading": heading,
                "heading_is_editorial": bool(heading_is_editorial),
            }
        updated_at = date_times.get(row[12])
        if updated_at is None:
            updated_at = date_times[row[12]] = iso_date_time(row[12], zone)
        clause = {
            "citation": f"{slug}/{eid}",
            "url": url(slug, eid),
            "html_url": html_url(slug, eid),
            "document": document,
            "section": section,
            "position": position,
            "eid": eid,
            "label": label,
            "text": text,
            "topics": topics.get(pk, []),
            "parties": parties.get(pk, []),
            "updated_at": updated_at,
        }
        if q is not None:
            clause["rank"] = row[13] if len(row) > 13 else None
            clause["snippet"] = search.snippet(text, q, row[14] if len(row) > 14 else None)
        results.append(clause)
    return results


# --- export: every matching clause, streamed ------------------------------------------------------

EXPORT_CHUNK = 2000
CSV_COLUMNS = [
    "citation",
    "url",
    "document",
    "document_title",
    "date",
    "kind",
    "section",
    "section_heading",
    "position",
    "eid",
    "label",
    "text",
    "topics",
    "parties",
    "updated_at",
]


def export_chunks(queryset):
    """Every clause of ``queryset``, as (rows of CLAUSE_COLUMNS, (topics, parties)) of about EXPORT_CHUNK clauses.

    In reading order (or newest documents first) the clauses are read a run of documents at a time, through
    the map of how many clauses each document has that paging uses: each query reads ~EXPORT_CHUNK rows
    through the (document, position) index, so the database never sorts the whole result and the worker
    never holds more than a chunk. Other orderings read from a server-side cursor (``iterator``) inside a
    transaction: flat memory too, but the database sorts everything first. Each chunk also reads its links.
    """
    document_order = DOCUMENT_MAJOR_ORDERS.get(tuple(queryset.query.order_by))
    if document_order is not None:
        ids, starts, total = cached_for_query(
            None, "documents", queryset, lambda: document_map(queryset, document_order)
        )
        first = 0
        for last in range(1, len(ids) + 1):
            end = starts[last] if last < len(ids) else total
            if end - starts[first] >= EXPORT_CHUNK or last == len(ids):
                documents = ids[first:last].tolist()
                yield chunk_rows(queryset, documents), links_of(document_ids=documents, using=queryset.db)
                first = last
        return
    with transaction.atomic():
        chunk = []
        for row in queryset.values_list(*CLAUSE_COLUMNS).iterator(chunk_size=EXPORT_CHUNK):
            chunk.append(row)
            if len(chunk) == EXPORT_CHUNK:
                yield chunk, links_of([row[0] for row in chunk], using=queryset.db)
                chunk = []
        if chunk:
            yield chunk, links_of([row[0] for row in chunk], using=queryset.db)


def chunk_rows(queryset, document_ids):
    """Rows of CLAUSE_COLUMNS for the clauses of ``queryset`` in these documents, in their order, then by position.

    Three small queries (clauses, their documents, their sections) joined here: joined in SQL, the planner
    hashes the whole section table for every chunk, and sorting in SQL by (date, slug, position) cost the
    database more than the query. The clauses' query is the ORM's (it carries the filters) run on the fixed-SQL
    cursor, whose C date-time loader is a quarter of an export's time cheaper than Django's.
    """
    documents = {
        row[0]: row[1:]
        for row in Document.objects.filter(pk__in=document_ids).values_list("pk", "slug", "title", "date", "kind")
    }
    sections = {
        row[0]: row[1:]
        for row in Section.objects.filter(document_id__in=document_ids).values_list(
            "pk", "eid", "heading", "heading_is_editorial"
        )
    }
    order = {document_id: i for i, document_id in enumerate(document_ids)}
    clauses = (
        queryset.filter(document_id__in=document_ids)
        .order_by()
        .values_list("pk", "document_id", "section_id", "position", "eid", "label", "text", "updated_at")
    )
    with fixed_sql_cursor(queryset.db) as cursor:
        cursor.execute(*clauses.query.sql_with_params())
        found = cursor.fetchall()
    found.sort(key=lambda row: (order[row[1]], row[3]))
    return [
        (pk, *documents[document_id], *sections[section_id], position, eid, label, text, updated_at)
        for pk, document_id, section_id, position, eid, label, text, updated_at in found
    ]


def export_jsonl(queryset, request):
    """JSON Lines: one clause object a line, exactly as /clauses/ renders it (orjson: a quarter of the time)."""
    url, html_url = clause_url_template(request, keep_format=False), html_url_template(request)
    for rows, links in export_chunks(queryset):
        yield b"".join(orjson.dumps(clause) + b"\n" for clause in build(rows, url, links=links, html_url=html_url))


def export_csv(queryset, request):
    """CSV (RFC 4180, UTF-8, a header row): one clause a row; topics and parties as slugs/codes joined by ';'.

    Any field holding a comma, quote or line break is quoted, so multi-line text survives. Rows are written
    straight from the database rows (no clause dicts in between), by ``csv_row``.
    """
    url = clause_url_template(request, keep_format=False)
    zone = timezone.get_current_timezone()
    yield csv_row(CSV_COLUMNS)
    for rows, (topics, parties) in export_chunks(queryset):
        lines = []
        for pk, slug, title, date, kind, section_eid, heading, _, position, eid, label, text, updated_at in rows:
            topic_slugs = ";".join(topic["slug"] for topic in topics.get(pk, ()))
            party_codes = ";".join(party["code"] for party in parties.get(pk, ()))
            row = (f"{slug}/{eid}", url(slug, eid), slug, title, iso_date(date), kind, section_eid, heading,
                   position, eid, label, text, topic_slugs, party_codes, iso_date_time(updated_at, zone))  # fmt: skip
            lines.append(csv_row(row))
        yield "".join(lines)


def csv_row(values):
    """One row as ``csv.writer(lineterminator="\\r\\n")`` writes it (the excel dialect, QUOTE_MINIMAL), a third of
    the time: the csv module copies every character of a field to look for ones to quote, where ``in`` searches the
    text at C speed (23 µs → 7 µs a clause; tests compare the two on awkward text). None is an empty field. For rows of
    two fields or more: csv.writer writes a lone empty field as '""'."""
    return ",".join([csv_field(value) for value in values]) + "\r\n"


def csv_field(value):
    if value.__class__ is not str:
        return "" if value is None else str(value)
    if '"' in value:
        return '"' + value.replace('"', '""') + '"'
    if "," in value or "\n" in value or "\r" in value:
        return '"' + value + '"'
    return value


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
# The document's parties (kind 0) and signatories (kind 1), in the serializers' order once sorted here.
PEOPLE_SQL = """
SELECT 0, 0, '', '', party_id FROM statements_document_parties WHERE document_id = %s
UNION ALL
SELECT 1, position, name, office, party_id FROM statements_signatory WHERE document_id = %s
"""
# Every section, with its clauses (a section without clauses is one row of NULLs), in reading order.
CONTENTS_SQL = """
SELECT s.eid, s.position, s.heading, s.heading_is_editorial, c.eid, c.label, c.position
FROM statements_section s LEFT JOIN statements_clause c ON c.section_id = s.id
WHERE s.document_id = %s
ORDER BY s.position, c.position
"""


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
        people = sorted(cursor.fetchall(), key=itemgetter(0, 1))
        cursor.execute(CONTENTS_SQL, [document_id])
        contents = cursor.fetchall()
    _, parties = vocabulary_for(request, using)
    party = {pk: entry for pk, (_, entry) in parties.items()}
    document = dict(zip(DOCUMENT_COLUMNS, values, strict=True))
    url = clause_url_template(request)
    sections = {}
    for section_eid, position, heading, heading_is_editorial, eid, label, clause_position in contents:
        section = sections.get(section_eid)
        if section is None:
            section = sections[section_eid] = {
                "eid": section_eid,
                "position": position,
                "heading": heading,
                "heading_is_editorial": bool(heading_is_editorial),
                "clauses": [],
            }
        if eid is not None:
            section["clauses"].append(
                {"eid": eid, "label": label, "position": clause_position, "citation": f"{slug}/{eid}",
                 "url": url(slug, eid)}
            )  # fmt: skip
    computed = {
        "url": reverse("document-detail", kwargs={"slug": slug}, request=request),
        "parties": sorted((party[pk] for kind, _, _, _, pk in people if kind == 0), key=itemgetter("code")),
        "signatories": [
            {"position": position, "name": name, "office": office, "party": party[pk]}
            for kind, position, name, office, pk in people
            if kind == 1
        ],
        "clause_count": sum(len(section["clauses"]) for section in sections.values()),
        "clauses_url": reverse("document-clause-list", kwargs={"slug": slug}, request=request),
    }
    body = {
        name: computed[name] if name in computed else DOCUMENT_COLUMN_JSON.get(name, as_is)(document[name])
        for name in DOCUMENT_FIELDS
    }
    return {**body, "sections": list(sections.values())}
