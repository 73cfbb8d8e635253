"""Clause bodies built straight from database rows: the fast path of every clause list.

ClauseSerializer documents the clause object and serializes single clauses; lists of clauses are built
here instead, with the same JSON (a test compares the two on the whole corpus). DRF's nested
ModelSerializers would build an ORM instance for every clause, document, section, topic and party of a
page and run each field through its machinery; here a page is one ``values()`` query for the clauses
(with their document and section) and one each for the page's topic and party links, assembled into
dicts, and each clause URL is formatted from one reversed template instead of reversed one by one.
"""

import csv
import io
from collections import defaultdict
from operator import itemgetter

import orjson
from django.db import transaction
from django.db.models import Value
from django.urls import reverse as django_reverse
from django.utils import timezone
from rest_framework.reverse import reverse

from statements import search
from statements.api.cache import cached_for_query
from statements.api.pagination import DOCUMENT_MAJOR_ORDERS, document_map
from statements.models import ClauseParty, ClauseTopic, Document, Section

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
    DRF's goes through the time-zone machinery for every value, a fifth of an export's time."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


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


def links_of(clause_ids=None, *, document_ids=None):
    """The topics and parties of these clauses, as {clause id: [{...}, ...]}, in the serializers' order.

    One query for both (a UNION of the topic and party links). Given ``document_ids`` instead, the links of
    every clause of those documents (an export's chunk: a few document ids make a much smaller query than
    thousands of clause ids).
    """
    where = {"clause_id__in": clause_ids} if document_ids is None else {"clause__document_id__in": document_ids}
    topic_links = (
        ClauseTopic.objects.filter(**where)
        .order_by()
        .values_list("clause_id", Value(0), "topic__position", "topic__slug", "topic__name")
    )
    party_links = (
        ClauseParty.objects.filter(**where)
        .order_by()
        .values_list("clause_id", Value(1), Value(0), "party__code", "party__short_name")
    )
    topics, parties = defaultdict(list), defaultdict(list)
    # Topics in the tree's order (position, slug), parties by code: what the serializers' prefetches give.
    for clause_id, is_party, _, key, name in sorted(topic_links.union(party_links, all=True), key=itemgetter(1, 2, 3)):
        if is_party:
            parties[clause_id].append({"code": key, "short_name": name})
        else:
            topics[clause_id].append({"slug": key, "name": name})
    return topics, parties


def clause_dicts(queryset, request, *, q=None):
    """The clauses of ``queryset`` (already filtered, ordered and sliced) as ClauseSerializer would render them.

    With ``q``, as SearchResultSerializer would: the queryset carries ``rank`` (and ``headline`` on PostgreSQL).
    Three queries, whatever the number of clauses.
    """
    extra = ("rank", "headline") if q is not None else ()
    columns = CLAUSE_COLUMNS + tuple(name for name in extra if name in queryset.query.annotations)
    rows = list(queryset.values_list(*columns))
    return build(rows, clause_url_template(request), q=q, html_url=html_url_template(request))


def build(rows, url, *, q=None, links=None, html_url):
    """Clause dicts from rows of CLAUSE_COLUMNS (plus rank and headline with ``q``); two queries for the links.

    ``links``: the (topics, parties) of the rows' clauses if the caller has them already.
    """
    if links is None:
        links = links_of([row[0] for row in rows]) if rows else ({}, {})
    topics, parties = links
    zone = timezone.get_current_timezone()
    results = []
    for row in rows:
        pk, slug, title, date, kind, section_eid, heading, heading_is_editorial, position, eid, label, text = row[:12]
        clause = {
            "citation": f"{slug}/{eid}",
            "url": url(slug, eid),
            "html_url": html_url(slug, eid),
            "document": {"slug": slug, "title": title, "date": date.isoformat(), "kind": kind},
            "section": {"eid": section_eid, "heading": heading, "heading_is_editorial": heading_is_editorial},
            "position": position,
            "eid": eid,
            "label": label,
            "text": text,
            "topics": topics.get(pk, []),
            "parties": parties.get(pk, []),
            "updated_at": iso_date_time(row[12], zone),
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
                yield chunk_rows(queryset, documents), links_of(document_ids=documents)
                first = last
        return
    with transaction.atomic():
        chunk = []
        for row in queryset.values_list(*CLAUSE_COLUMNS).iterator(chunk_size=EXPORT_CHUNK):
            chunk.append(row)
            if len(chunk) == EXPORT_CHUNK:
                yield chunk, links_of([row[0] for row in chunk])
                chunk = []
        if chunk:
            yield chunk, links_of([row[0] for row in chunk])


def chunk_rows(queryset, document_ids):
    """Rows of CLAUSE_COLUMNS for the clauses of ``queryset`` in these documents, in their order, then by position.

    Three small queries (clauses, their documents, their sections) joined here: joined in SQL, the planner
    hashes the whole section table for every chunk.
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
    clauses = sorted(
        queryset.filter(document_id__in=document_ids)
        .order_by()
        .values_list("pk", "document_id", "section_id", "position", "eid", "label", "text", "updated_at"),
        key=lambda row: (order[row[1]], row[3]),
    )
    return [
        (pk, *documents[document_id], *sections[section_id], position, eid, label, text, updated_at)
        for pk, document_id, section_id, position, eid, label, text, updated_at in clauses
    ]


def export_jsonl(queryset, request):
    """JSON Lines: one clause object a line, exactly as /clauses/ renders it (orjson: a quarter of the time)."""
    url, html_url = clause_url_template(request, keep_format=False), html_url_template(request)
    for rows, links in export_chunks(queryset):
        yield b"".join(orjson.dumps(clause) + b"\n" for clause in build(rows, url, links=links, html_url=html_url))


def export_csv(queryset, request):
    """CSV (RFC 4180, UTF-8, a header row): one clause a row; topics and parties as slugs/codes joined by ';'.

    The csv module quotes any field holding a comma, quote or line break, so multi-line text survives.
    Rows are written straight from the database rows (no clause dicts in between).
    """
    url = clause_url_template(request, keep_format=False)
    zone = timezone.get_current_timezone()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for rows, (topics, parties) in export_chunks(queryset):
        writer.writerows(
            (
                f"{slug}/{eid}",
                url(slug, eid),
                slug,
                title,
                date.isoformat(),
                kind,
                section_eid,
                heading,
                position,
                eid,
                label,
                text,
                ";".join(topic["slug"] for topic in topics.get(pk, ())),
                ";".join(party["code"] for party in parties.get(pk, ())),
                iso_date_time(updated_at, zone),
            )
            for pk, slug, title, date, kind, section_eid, heading, _, position, eid, label, text, updated_at in rows
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def table_of_contents(document, request):
    """A document's sections in order, each with its clauses' eids, labels, positions, citations and URLs.

    Two queries, whatever the length of the document (what SectionContentsSerializer renders).
    """
    url = clause_url_template(request)
    sections = {
        row["id"]: {**{k: v for k, v in row.items() if k != "id"}, "clauses": []}
        for row in document.sections.order_by("position").values(
            "id", "eid", "position", "heading", "heading_is_editorial"
        )
    }
    slug = document.slug
    for section_id, eid, label, position in document.clauses.order_by("position").values_list(
        "section_id", "eid", "label", "position"
    ):
        sections[section_id]["clauses"].append(
            {"eid": eid, "label": label, "position": position, "citation": f"{slug}/{eid}", "url": url(slug, eid)}
        )
    return list(sections.values())
