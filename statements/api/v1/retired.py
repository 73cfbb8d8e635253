"""What a citation that names nothing answers: 410 with what was retired and where its text went, else 404; and a
retired topic's slug, a 301 to the topic it moved to.

A published citation always resolves (README "Retired documents and clauses"): a clause deleted or dropped by a
re-import, or every clause of a deleted document, is a RetiredClause under the same citation; a deleted document
is a RetiredDocument under its slug. Their 410 carries the retired text, and the successor a curator named.
"""

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse as django_reverse
from rest_framework.exceptions import NotFound
from rest_framework.reverse import reverse

from statements.api.errors import Gone
from statements.models import RetiredClause, RetiredDocument, TopicAlias
from statements.models.eids import eid_order


def document_url(slug, request):
    return reverse("document-detail", kwargs={"slug": slug}, request=request)


def clause_url(slug, eid, request):
    return reverse("document-clause-detail", kwargs={"slug": slug, "eid": eid}, request=request)


def missing_document(slug, request):
    """The exception for a document slug that names no document: Gone when it was retired, else NotFound."""
    retired = RetiredDocument.objects.filter(slug=slug).first()
    if retired is None:
        return NotFound(f"No document '{slug}'.")
    eids = RetiredClause.objects.filter(document_slug=slug).values_list("eid", flat=True)
    detail = (
        f"The document '{slug}' was retired on {retired.retired_at:%Y-%m-%d}: its citations resolve to their "
        "retired text (each clause's URL)."
        + (f" It is succeeded by '{retired.successor}'." if retired.successor else "")
    )
    return Gone(
        detail,
        {
            "slug": slug,
            "title": retired.title,
            "kind": retired.kind,
            "date": retired.date.isoformat(),
            "retired_at": retired.retired_at.isoformat(),
            "note": retired.note,
            "successor": document_url(retired.successor, request) if retired.successor else None,
            "clauses": [
                {"citation": f"{slug}/{eid}", "url": clause_url(slug, eid, request)} for eid in sorted_eids(eids)
            ],
        },
    )


def sorted_eids(eids):
    return sorted(eids, key=eid_order)


def missing_clause(slug, eid, request):
    """The exception for a citation that names no clause: Gone when the clause was retired, else NotFound."""
    retired = RetiredClause.objects.filter(document_slug=slug, eid=eid).first()
    if retired is None:
        return NotFound(f"No clause '{slug}/{eid}'.")
    successor = RetiredDocument.objects.filter(slug=slug).exclude(successor="").values_list("successor", flat=True)
    return Gone(
        f"The clause '{slug}/{eid}' was retired on {retired.retired_at:%Y-%m-%d}; its text is kept here.",
        {
            "citation": retired.citation,
            "label": retired.label,
            "text": retired.text,
            "retired_at": retired.retired_at.isoformat(),
            "document": document_url(slug, request),
            "successor": document_url(successor[0], request) if successor else None,
        },
    )


def moved_topic(slug, request, view_name):
    """The answer for a topic slug that names no topic: a 301 to ``view_name`` (a URL taking the topic's slug) of
    the retired topic's main home when it is a TopicAlias (the query string kept), else a NotFound to raise."""
    homes = TopicAlias.objects.homes([slug]).get(slug)
    if not homes:
        raise NotFound(f"No topic '{slug}'.")
    # Django's reverse: DRF's would carry ?format= over, and the query string follows whole
    url = request.build_absolute_uri(django_reverse(f"v1:{view_name}", kwargs={"slug": homes[0]}))
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
