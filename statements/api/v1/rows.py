"""Clause bodies built straight from database rows: the fast path of every clause list.

ClauseSerializer documents the clause object and serializes single clauses; lists of clauses are built
here instead, with the same JSON (a test compares the two on the whole corpus). DRF's nested
ModelSerializers would build an ORM instance for every clause, document, section, topic and party of a
page and run each field through its machinery; here a page is one ``values()`` query for the clauses
(with their document and section) and one each for the page's topic and party links, assembled into
dicts, and each clause URL is formatted from one reversed template instead of reversed one by one.
"""

from collections import defaultdict

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


def clause_url_template(request):
    """A function (slug, eid) -> the clause's absolute URL, reversed once per request."""
    template = reverse("document-clause-detail", kwargs={"slug": SLUG, "eid": EID}, request=request)
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
    topics, parties = links_of([row[0] for row in rows]) if rows else ({}, {})
    url = clause_url_template(request)
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
