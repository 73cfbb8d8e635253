"""manage.py generate_corpus: a realistic synthetic corpus, deterministic, never into curated data by accident."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection

from statements import synthetic
from statements.management.commands import generate_corpus
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


ON_POSTGRESQL = connection.vendor == "postgresql"


def schema_state():
    """The clause tables' row counts, keys, indexes and trigger states: all a bulk load touches."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM statements_document), (SELECT count(*) FROM statements_clause), "
            "(SELECT count(*) FROM statements_clausetopic), (SELECT count(*) FROM statements_clauseshingle)"
        )
        counts = cursor.fetchone()
        cursor.execute("SELECT conrelid::regclass::text, conname FROM pg_constraint ORDER BY 1, 2")
        constraints = cursor.fetchall()
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")
        indexes = cursor.fetchall()
        cursor.execute("SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1")
        triggers = cursor.fetchall()
    return counts, constraints, indexes, triggers


@pytest.fixture
def bulk_from_100(monkeypatch):
    """Bulk mode (keys, indexes and row triggers off during the COPY) from 100 clauses on, to test it quickly."""
    monkeypatch.setattr(generate_corpus, "BULK_FROM", 100)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the bulk mode is PostgreSQL's")
def test_a_bulk_load_puts_keys_indexes_triggers_and_shingles_back(bulk_from_100):
    before = schema_state()
    out, _ = generate("--clauses", 300, "--force")
    after = schema_state()
    assert "Added 300 clauses" in out and after[0][1] == before[0][1] + 300
    assert after[1:] == before[1:] and all(enabled == "O" for _, enabled in after[3])
    with connection.cursor() as cursor:  # the shingles COPYed from Python are exactly the trigger's
        cursor.execute(
            "SELECT count(*) FROM (SELECT statements_clause_shingles(text), id, document_id FROM statements_clause "
            "EXCEPT SELECT hash, clause_id, document_id FROM statements_clauseshingle) AS missing"
        )
        assert cursor.fetchone() == (0,)
        cursor.execute(
            "SELECT count(*) FROM statements_clauseshingle WHERE clause_id IN "
            "(SELECT id FROM statements_clause WHERE document_id IN "
            "(SELECT id FROM statements_document WHERE slug LIKE 'synthetic-%%'))"
        )
        assert cursor.fetchone()[0] == after[0][3] - before[0][3] > 300


def mismatched_document(batch):
    """A clause put in another document than its section's (the trigger that refuses it is off)."""
    clause = batch.clauses[-1]
    batch.clauses[-1] = (clause[0], batch.documents[0][0], *clause[2:])


def duplicate_topic(batch):
    """A topic link twice (its unique key is dropped during the COPY)."""
    batch.clause_topics.append(batch.clause_topics[0])


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the bulk mode is PostgreSQL's")
@pytest.mark.parametrize(
    "corrupt, error",
    [(mismatched_document, "document is not its section's"), (duplicate_topic, "clausetopic_unique")],
)
def test_a_failing_bulk_load_changes_nothing(bulk_from_100, monkeypatch, corrupt, error):
    batches = synthetic.Generator.batches

    def corrupted(self, clauses):
        for batch in batches(self, clauses):
            corrupt(batch)
            yield batch

    monkeypatch.setattr(synthetic.Generator, "batches", corrupted)
    before = schema_state()
    with pytest.raises((CommandError, IntegrityError), match=error):
        generate("--clauses", 300, "--force")
    assert schema_state() == before
