"""A clause's ``topic_ids`` and ``party_ids`` (PostgreSQL; statements.models.link_ids): what its links say after every
kind of write, written with the clause by the importer, and what a filtered search reads."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from statements.importing.batch import import_files, read_files
from statements.management.commands import generate_corpus
from statements.models import Clause, ClauseParty, ClauseTopic, Document, Party, Topic

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's arrays (SQLite reads the links)"),
]
CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "whitehouse"
SEARCH = "/api/v1/search/"


def arrays():
    """{clause id: (topic ids, party ids)} as the clause rows hold them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, topic_ids, party_ids FROM statements_clause")
        return {pk: (topics, parties) for pk, topics, parties in cursor.fetchall()}


def arrays_from_links():
    """What the arrays must be: each clause's linked topic and party ids, sorted (a parent topic's are not added)."""
    expected = {pk: ([], []) for pk in Clause.objects.values_list("pk", flat=True)}
    for column, (model, field) in enumerate(((ClauseTopic, "topic_id"), (ClauseParty, "party_id"))):
        for clause_id, value in model.objects.order_by("clause_id", field).values_list("clause_id", field):
            expected[clause_id][column].append(value)
    return {pk: (topics, parties) for pk, (topics, parties) in expected.items()}


def clause_updates():
    """Rows of statements_clause updated so far in this transaction (the statistics of the current transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'statements_clause'")
        return cursor.fetchone()[0]


def test_the_loaded_corpus_has_its_links_on_its_clauses():
    assert arrays() == arrays_from_links()
    assert sum(bool(topics) for topics, _ in arrays().values()) > len(arrays()) / 2


def test_links_added_changed_and_removed_keep_the_arrays_current():
    clause = Clause.objects.filter(topic_links__isnull=False, party_links__isnull=False).first()
    topic = Topic.objects.exclude(clause_links__clause=clause).first()
    ClauseTopic.objects.create(clause=clause, topic=topic)
    assert topic.pk in arrays()[clause.pk][0]
    party = Party.objects.exclude(clause_links__clause=clause).first()
    ClauseParty.objects.filter(pk=clause.party_links.first().pk).update(party=party)
    assert party.pk in arrays()[clause.pk][1]
    ClauseTopic.objects.filter(clause=clause, topic=topic).delete()
    assert arrays() == arrays_from_links()
    with connection.cursor() as cursor:  # writes the ORM does not see
        cursor.execute("DELETE FROM statements_clauseparty WHERE clause_id = %s", [clause.pk])
        cursor.execute(
            "INSERT INTO statements_clausetopic (clause_id, topic_id, assigned_by, rule, created_at) "
            "SELECT id, %s, 'rule', 'raw', CURRENT_TIMESTAMP FROM statements_clause WHERE document_id = %s "
            "ON CONFLICT DO NOTHING",
            [topic.pk, clause.document_id],
        )
    assert arrays() == arrays_from_links()
    clause.delete()
    call_command("retag", stdout=StringIO())
    assert arrays() == arrays_from_links()


def test_a_truncated_link_table_empties_the_arrays():
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE statements_clauseparty")
    assert not any(parties for _, parties in arrays().values())
    assert arrays() == arrays_from_links()


def test_the_importer_writes_a_new_clauses_arrays_with_its_row():
    files = sorted(CORPUS.glob("*.md"))[:40]
    Document.objects.filter(slug__in=[reading.draft.slug for _, reading in read_files(files).readings]).delete()
    before = clause_updates()
    report = import_files(files, recognise=False)
    assert sum(result.created for result in report.results) == 40 and arrays() == arrays_from_links()
    assert clause_updates() == before  # written once: the links' triggers found nothing to do


def test_a_filtered_search_finds_a_new_link_at_once(api_client):
    clause = Clause.objects.get(document__slug="china-belarus-joint-statement-2023-03-02", eid="para_19")
    topic = Topic.objects.exclude(clause_links__clause=clause).filter(children__isnull=False).first()
    child = topic.children.first()

    def found():
        results = api_client.get(SEARCH, {"q": "industrial park", "topic": topic.slug, "page_size": 100}).json()
        return {result["citation"] for result in results["results"]}

    citation = f"{clause.document.slug}/{clause.eid}"
    assert citation not in found()
    ClauseTopic.objects.create(clause=clause, topic=child)  # a parent's filter takes its children's clauses
    assert citation in found()


@pytest.mark.parametrize("bulk_from", [100, 10_000])  # the bulk COPY with the links' triggers off, and without
def test_generate_corpus_writes_the_arrays_with_the_clauses(monkeypatch, bulk_from):
    monkeypatch.setattr(generate_corpus, "BULK_FROM", bulk_from)
    before = clause_updates()
    call_command("generate_corpus", "--clauses", 300, "--force", stdout=StringIO(), stderr=StringIO())
    assert arrays() == arrays_from_links()
    assert clause_updates() == before
