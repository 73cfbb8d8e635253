"""Migration 0020 drops the foreign keys' single-column indexes that a unique constraint's index already covers: the
rows stay, the lookups they served still have an index, and the tables keep their triggers (Django's AlterField
would have remade SQLite's tables without them)."""

import pytest
from django.db import connection

from statements.models import Clause, ClauseFacet, ClauseTopic, DocumentFacetCount, Topic
from tests.factories import document_with_clauses
from tests.migrating import back_to_latest, migrate

BEFORE = [("statements", "0019_document_party_provenance")]
AFTER = [("statements", "0020_drop_covered_indexes")]
COVERED = {  # table: (the foreign key's column, the unique constraint whose index leads with it)
    "statements_clause": ("document_id", "clause_unique_eid"),
    "statements_clausetopic": ("clause_id", "clausetopic_unique"),
    "statements_clauseparty": ("clause_id", "clauseparty_unique"),
    "statements_document_parties": ("document_id", "documentparty_unique"),
    "statements_section": ("document_id", "section_unique_eid"),
    "statements_signatory": ("document_id", "signatory_unique_position"),
}


def indexes_leading_with(table, column):
    """The indexes of ``table`` whose first column is ``column``, each (columns, unique); a unique constraint has one
    (introspection lists it as a constraint, not an index, on SQLite)."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return [
        (info["columns"], info["unique"])
        for info in found.values()
        if (info["index"] or info["unique"]) and info["columns"][:1] == [column]
    ]


@pytest.fixture
def round_trip(transactional_db):
    """0020 undone and done again, on a database holding a document with a linked clause; its ids."""
    topic = Topic.objects.filter(parent__isnull=False).first() or Topic.objects.create(slug="t", name="T")
    document = document_with_clauses(2, slug="covered")
    clause = document.clauses.first()
    ClauseTopic.objects.create(clause=clause, topic=topic)
    migrate(BEFORE)
    for table, (column, _) in COVERED.items():
        assert [columns for columns, unique in indexes_leading_with(table, column) if not unique] == [[column]]
    migrate(AFTER)
    yield document, clause, topic
    back_to_latest()


def test_the_covered_indexes_are_gone_and_the_unique_ones_serve_their_lookups(round_trip):
    for table, (column, _) in COVERED.items():
        leading = indexes_leading_with(table, column)
        assert leading and all(unique and len(columns) > 1 for columns, unique in leading), table


def test_rows_and_triggers_survive(round_trip):
    document, clause, topic = round_trip
    assert Clause.objects.filter(document=document).count() == 2
    assert ClauseTopic.objects.filter(clause=clause, topic=topic).exists()
    other = document.clauses.exclude(pk=clause.pk).get()
    ClauseTopic.objects.create(clause=other, topic=topic)  # the link tables' facet triggers still run
    assert ClauseFacet.objects.filter(facet=ClauseFacet.TOPIC, value_id=topic.pk, clause_id=other.pk).exists()
    counted = DocumentFacetCount.objects.get(facet=ClauseFacet.TOPIC, value_id=topic.pk, document_id=document.pk)
    assert counted.n == 2
