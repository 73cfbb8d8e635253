"""Pages for people: server-rendered, no JavaScript needed.

Every citation resolves in a browser: ``/documents/<slug>/#<eid>`` is the clause on its document's
reading page, and ``/documents/<slug>/<eid>/`` redirects there (an alias eid to the clause it cites).
``/topics/<slug>/`` lists a topic's clauses across documents with a small chart of the
counts by party and year (plain HTML and CSS), and ``/`` lists the documents and the topic tree.

Each page is computed once per data version (``cached_page``: the data cannot have changed since) and throttled
like the API (statements/api/throttling.py): no anonymous loop on ``/`` can keep the workers busy.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse

from . import stats
from .api.cache import cached_page
from .compare import tree_order
from .models import Clause, ClauseAlias, Document, RetiredClause, RetiredDocument, Section, Topic, TopicAlias
from .models.eids import eid_order

TOPIC_PAGE_SIZE = 50


@cached_page()
def home(request):
    """The documents, newest first, and the topic tree with clause counts."""
    documents = Document.objects.with_metadata().order_by("-date", "slug")
    topics = tree_order(Topic.objects.with_tree_counts())
    return render(request, "statements/pages/home.html", {"documents": documents, "topics": topics})


@cached_page()
def document_page(request, slug):
    """A document to read and cite: metadata, sections and every clause with its eid anchor and chips."""
    clauses = Clause.objects.order_by("position").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("slug")), "parties"
    )
    document = (
        Document.objects.with_metadata()
        .prefetch_related(Prefetch("sections", queryset=Section.objects.prefetch_related(Prefetch("clauses", clauses))))
        .filter(slug=slug)
        .first()
    )
    if document is None:
        return retired_document_page(request, slug)
    aliases = {}
    for alias_eid, clause_eid in document.clause_aliases.values_list("eid", "clause_eid"):
        aliases.setdefault(clause_eid, []).append(alias_eid)
    for section in document.sections.all():
        for clause in section.clauses.all():
            clause.alias_eids = aliases.get(clause.eid, [])  # anchors too: #para_33 lands on para_p34
    return render(request, "statements/pages/document.html", {"document": document})


def retired_document_page(request, slug):
    """A retired document: 410, with each of its clauses' text at its citation's anchor; else 404."""
    retired = RetiredDocument.objects.filter(slug=slug).first()
    if retired is None:
        raise Http404(f"No document '{slug}'.")
    clauses = sorted(RetiredClause.objects.filter(document_slug=slug), key=lambda clause: eid_order(clause.eid))
    context = {"document": retired, "clauses": clauses}
    return render(request, "statements/pages/retired_document.html", context, status=410)


def clause_citation(request, slug, eid):
    """``/documents/<slug>/<eid>/``: a citation in a browser, redirected (301) to the clause on its reading page,
    an alias eid to the clause it cites."""
    if Clause.objects.filter(document__slug=slug, eid=eid).exists():
        target = eid
    else:
        target = ClauseAlias.objects.clause_eid(slug, eid)
    if target is None:
        raise Http404(f"No clause '{slug}/{eid}'.")
    return HttpResponsePermanentRedirect(f"{reverse('document-page', args=[slug])}#{target}")


@cached_page("page")
def topic_page(request, slug):
    """A topic's clauses across documents, in reading order, with counts by party and year."""
    topic = Topic.objects.select_related("parent").prefetch_related("children").filter(slug=slug).first()
    if topic is None:
        homes = TopicAlias.objects.homes([slug]).get(slug)
        if not homes:
            raise Http404(f"No topic '{slug}'.")
        # a retired topic's slug: where it moved
        return HttpResponsePermanentRedirect(reverse("topic-page", kwargs={"slug": homes[0]}))
    topic_stats = stats.topic_stats(topic)
    clauses = Clause.objects.on_topics([slug]).with_context().in_reading_order()
    page = Paginator(clauses, TOPIC_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "topic": topic,
        "stats": topic_stats,
        "page": page,
        "party_chart": bars(topic_stats.by_party, lambda row: row["party"]["short_name"]),
        "year_chart": bars(topic_stats.by_year, lambda row: str(row["year"])),
    }
    return render(request, "statements/pages/topic.html", context)


def bars(rows, label):
    """Rows of a bar chart: label, count and the bar's width in percent of the largest count."""
    largest = max((row["clause_count"] for row in rows), default=0)
    return [
        {"label": label(row), "count": row["clause_count"], "percent": round(100 * row["clause_count"] / largest)}
        for row in rows
    ]
