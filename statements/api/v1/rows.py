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
import json
from collections import defaultdict

from django.db import transaction
from rest_framework import serializers
from rest_framework.reverse import reverse

from statements import search
from statements.models import ClauseParty, ClauseTopic

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
# DRF's own formatting of dates and date-times, so the output is byte-identical to the serializers'.
DATE = serializers.DateField()
DATE_TIME = serializers.DateTimeField()
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


def links_of(clause_ids):
    """The topics and parties of these clauses, as {clause id: [{...}, ...]}, in the serializers' order."""
    topics, parties = defaultdict(list), defaultdict(list)
    topic_rows = (
        ClauseTopic.objects.filter(clause_id__in=clause_ids)
        .order_by("topic__position", "topic__slug")
        .values_list("clause_id", "topic__slug", "topic__name")
    )
    for clause_id, slug, name in topic_rows:
        topics[clause_id].append({"slug": slug, "name": name})
    party_rows = (
        ClauseParty.objects.filter(clause_id__in=clause_ids)
        .order_by("party__code")
        .values_list("clause_id", "party__code", "party__short_name")
    )
    for clause_id, code, short_name in party_rows:
        parties[clause_id].append({"code": code, "short_name": short_name})
    return topics, parties


def clause_dicts(queryset, request, *, q=None):
    """The clauses of ``queryset`` (already filtered, ordered and sliced) as ClauseSerializer would render them.

    With ``q``, as SearchResultSerializer would: the queryset carries ``rank`` (and ``headline`` on PostgreSQL).
    Three queries, whatever the number of clauses.
    """
    extra = ("rank", "headline") if q is not None else ()
    columns = CLAUSE_COLUMNS + tuple(name for name in extra if name in queryset.query.annotations)
    rows = list(queryset.values_list(*columns))
    return build(rows, clause_url_template(request), q=q)


def build(rows, url, *, q=None):
    """Clause dicts from rows of CLAUSE_COLUMNS (plus rank and headline with ``q``); two queries for the links."""
    topics, parties = links_of([row[0] for row in rows]) if rows else ({}, {})
    results = []
    for row in rows:
        pk, slug, title, date, kind, section_eid, heading, heading_is_editorial, position, eid, label, text = row[:12]
        clause = {
            "citation": f"{slug}/{eid}",
            "url": url(slug, eid),
            "document": {"slug": slug, "title": title, "date": DATE.to_representation(date), "kind": kind},
            "section": {"eid": section_eid, "heading": heading, "heading_is_editorial": heading_is_editorial},
            "position": position,
            "eid": eid,
            "label": label,
            "text": text,
            "topics": topics.get(pk, []),
            "parties": parties.get(pk, []),
            "updated_at": DATE_TIME.to_representation(row[12]),
        }
        if q is not None:
            clause["rank"] = row[13] if len(row) > 13 else None
            headline = row[14] if len(row) > 14 else None
            clause["snippet"] = headline if headline is not None else search.highlight(text, q)
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


def export_chunks(queryset, request):
    """Every clause of ``queryset``, as lists of clause dicts of EXPORT_CHUNK clauses.

    Rows come from a server-side cursor (``iterator``) inside a transaction, so neither the worker nor the
    database holds the whole result: memory stays flat however many clauses match. Each chunk costs two
    more queries, for its topics and parties.
    """
    url = clause_url_template(request, keep_format=False)
    with transaction.atomic():
        chunk = []
        for row in queryset.values_list(*CLAUSE_COLUMNS).iterator(chunk_size=EXPORT_CHUNK):
            chunk.append(row)
            if len(chunk) == EXPORT_CHUNK:
                yield build(chunk, url)
                chunk = []
        if chunk:
            yield build(chunk, url)


def export_jsonl(queryset, request):
    """JSON Lines: one clause object a line, exactly as /clauses/ renders it."""
    for clauses in export_chunks(queryset, request):
        yield "".join(json.dumps(clause, ensure_ascii=False, separators=(",", ":")) + "\n" for clause in clauses)


def export_csv(queryset, request):
    """CSV (RFC 4180, UTF-8, a header row): one clause a row; topics and parties as slugs/codes joined by ';'.

    The csv module quotes any field holding a comma, quote or line break, so multi-line text survives.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for clauses in export_chunks(queryset, request):
        for clause in clauses:
            document, section = clause["document"], clause["section"]
            writer.writerow(
                [
                    clause["citation"],
                    clause["url"],
                    document["slug"],
                    document["title"],
                    document["date"],
                    document["kind"],
                    section["eid"],
                    section["heading"],
                    clause["position"],
                    clause["eid"],
                    clause["label"],
                    clause["text"],
                    ";".join(topic["slug"] for topic in clause["topics"]),
                    ";".join(party["code"] for party in clause["parties"]),
                    clause["updated_at"],
                ]
            )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


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
