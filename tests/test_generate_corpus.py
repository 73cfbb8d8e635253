"""manage.py generate_corpus: a realistic synthetic corpus, deterministic, never into curated data by accident."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from statements.models import Clause, ClauseParty, ClauseTopic, Document, Section
from statements.synthetic import PUBLISHER, SLUG_PREFIX

pytestmark = pytest.mark.django_db


def generate(*args):
    out, err = StringIO(), StringIO()
    call_command("generate_corpus", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def synthetic_corpus():
    clauses = Clause.objects.filter(document__slug__startswith=SLUG_PREFIX).order_by("document__slug", "position")
    return [
        (c.document.slug, c.document.date, c.section.eid, c.eid, c.text, sorted(t.slug for t in c.topics.all()))
        for c in clauses.select_related("document", "section").prefetch_related("topics")
    ]


def test_refuses_a_database_with_curated_documents():
    before = Clause.objects.count()
    with pytest.raises(CommandError, match="holds 3 curated document"):
        generate("--clauses", 10)
    assert Clause.objects.count() == before


def test_builds_documents_sections_clauses_and_links_with_a_progress_bar():
    out, err = generate("--clauses", 400, "--seed", 7, "--force")
    documents = Document.objects.filter(slug__startswith=SLUG_PREFIX)
    clauses = Clause.objects.filter(document__in=documents)
    assert clauses.count() == 400 and "Added 400 clauses" in out and "400/400 clauses" in err
    assert documents.count() >= 2 and all(d.publisher == PUBLISHER for d in documents)
    assert Section.objects.filter(document__in=documents).count() > documents.count()
    for document in documents:  # positions 1..N, each document with its China and partner parties
        assert list(document.clauses.order_by("position").values_list("position", flat=True)) == list(
            range(1, document.clauses.count() + 1)
        )
        assert "cn" in {party.code for party in document.parties.all()} and document.parties.count() == 2
    assert ClauseTopic.objects.filter(clause__in=clauses).count() > 400  # the real corpus has ~2 topics a clause
    assert ClauseParty.objects.filter(clause__in=clauses).exists()
    texts = list(clauses.values_list("text", flat=True))
    assert all(text.strip() for text in texts) and len(set(texts)) > 350
    assert sum("two sides" in text for text in texts) > 40  # the real corpus's vocabulary


def test_the_same_seed_gives_the_same_corpus():
    generate("--clauses", 150, "--seed", 3, "--force")
    first = synthetic_corpus()
    Document.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    generate("--clauses", 150, "--seed", 3, "--force")
    assert synthetic_corpus() == first
    Document.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    generate("--clauses", 150, "--seed", 4, "--force")
    assert synthetic_corpus() != first


def test_the_api_serves_it(api_client):
    generate("--clauses", 120, "--force")
    body = api_client.get("/api/v1/clauses/", {"document": Document.objects.order_by("slug").last().slug}).json()
    assert body["count"] > 0 and body["results"][0]["topics"] is not None
