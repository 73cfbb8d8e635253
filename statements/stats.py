"""Statistics about a topic: where its clauses come from, and what else they are about.

A parent topic counts the clauses on itself and on its children, as ``/clauses/?topic=`` does.
Every figure is one aggregate query over the same set of clauses: five queries in all, whatever
the size of the corpus.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractYear

from .models import Clause, ClauseParty, ClauseTopic, DocumentKind, Topic

CO_OCCURRING_LIMIT = 10


@dataclass
class TopicStats:
    topic: Topic
    clause_count: int
    document_count: int
    by_party: list  # [{"party": {"code", "short_name"}, "clause_count"}]
    by_kind: list  # [{"kind", "label", "clause_count"}]
    by_year: list  # [{"year", "clause_count"}]
    co_occurring: list  # [{"topic": {"slug", "name"}, "clause_count"}]


def topic_stats(topic):
    """Clause counts for ``topic`` (children included) by party, document kind and year, and the topics its
    clauses most often also carry (outside the topic and its children), most frequent first."""
    own = Topic.objects.with_descendants([topic.slug])
    clause_ids = Clause.objects.on_topics([topic.slug]).values("pk")
    clauses = Clause.objects.filter(pk__in=clause_ids)
    totals = clauses.aggregate(clause_count=Count("pk"), document_count=Count("document", distinct=True))
    by_party = [
        {"party": {"code": row["party__code"], "short_name": row["party__short_name"]}, "clause_count": row["n"]}
        for row in ClauseParty.objects.filter(clause__in=clause_ids)
        .values("party__code", "party__short_name")
        .annotate(n=Count("clause", distinct=True))
        .order_by("-n", "party__code")
    ]
    by_kind = [
        {"kind": row["document__kind"], "label": DocumentKind(row["document__kind"]).label, "clause_count": row["n"]}
        for row in clauses.values("document__kind").annotate(n=Count("pk")).order_by("document__kind")
    ]
    by_year = list(
        clauses.annotate(year=ExtractYear("document__date"))
        .values("year")
        .annotate(clause_count=Count("pk"))
        .order_by("year")
    )
    co_occurring = [
        {"topic": {"slug": row["topic__slug"], "name": row["topic__name"]}, "clause_count": row["n"]}
        for row in ClauseTopic.objects.filter(clause__in=clause_ids)
        .exclude(topic__in=own)
        .values("topic__slug", "topic__name")
        .annotate(n=Count("clause", distinct=True))
        .order_by("-n", "topic__slug")[:CO_OCCURRING_LIMIT]
    ]
    return TopicStats(
        topic=topic, by_party=by_party, by_kind=by_kind, by_year=by_year, co_occurring=co_occurring, **totals
    )
