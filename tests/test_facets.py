"""ClauseFacet and DocumentFacetCount: the rows the filters count stay what the clauses and links say after every kind
of write."""

from collections import Counter

import pytest
from django.db import connection

from statements.models import Clause, ClauseFacet, ClauseParty, ClauseTopic, DocumentFacetCount, Party, Topic
from tests.factories import TopicFactory, document_with_clauses
from tests.migrating import back_to_latest, migrate

pytestmark = pytest.mark.django_db
URL = "/api/v1/clauses/"


def facets():
    """The rows, once the counts are checked against them."""
    rows = set(ClauseFacet.objects.values_list("facet", "value_id", "document_id", "clause_id", "position"))
    counted = Counter(row[:3] for row in rows)
    assert {
        (f, v, d): n for f, v, d, n in DocumentFacetCount.objects.values_list("facet", "value_id", "document_id", "n")
    } == counted
    return rows


def facets_from_links():
    """What the rows must be, worked out from the clauses and links: every clause a row, a topic link its topic's row
    and its parent's, a party link its party's; each with the clause's document and position."""
    expected = {
        (2, 0, document_id, pk, position)
        for pk, document_id, position in Clause.objects.values_list("pk", "document_id", "position")
    }
    for clause_id, document_id, position, topic_id, parent_id in ClauseTopic.objects.values_list(
        "clause_id", "clause__document_id", "clause__position", "topic_id", "topic__parent_id"
    ):
        expected |= {
            (0, topic, document_id, clause_id, position) for topic in (topic_id, parent_id) if topic is not None
        }
    for clause_id, document_id, position, party_id in ClauseParty.objects.values_list(
        "clause_id", "clause__document_id", "clause__position", "party_id"
    ):
        expected.add((1, party_id, document_id, clause_id, position))
    return expected


def test_the_seeded_corpus_has_its_rows():
    assert facets() == facets_from_links()
    assert len(facets()) > Clause.objects.count() + ClauseTopic.objects.count()  # the parents' rows are there too


def test_links_added_and_removed_keep_the_rows_current():
    parent = Topic.objects.filter(children__isnull=False).first()
    child = parent.children.first()
    clause = Clause.objects.exclude(topic_links__topic__in=[parent, child]).first()
    ClauseTopic.objects.create(clause=clause, topic=child)
    ClauseTopic.objects.create(clause=clause, topic=parent)
    assert {(0, parent.pk), (0, child.pk)} <= {(f, v) for f, v, _, c, _ in facets() if c == clause.pk}
    ClauseTopic.objects.filter(clause=clause, topic=parent).delete()
    # the child's link still puts it under parent
    assert (0, parent.pk, clause.document_id, clause.pk, clause.position) in facets()
    ClauseTopic.objects.filter(clause=clause, topic=child).delete()
    assert facets() == facets_from_links()
    party = Party.objects.exclude(clause_links__clause=clause).first()
    ClauseParty.objects.create(clause=clause, party=party)
    assert (1, party.pk, clause.document_id, clause.pk, clause.position) in facets()
    ClauseParty.objects.filter(clause=clause, party=party).update(party=Party.objects.exclude(pk=party.pk).first())
    assert facets() == facets_from_links()
    clause.topic_links.all().delete()
    clause.party_links.all().delete()
    assert facets() == facets_from_links()


def test_a_topic_given_another_parent_moves_its_clauses():
    child = Topic.objects.filter(parent__isnull=False, clause_links__isnull=False).first()
    other_parent = Topic.objects.filter(parent=None).exclude(pk=child.parent_id).first()
    Topic.objects.filter(pk=child.pk).update(parent=other_parent)
    assert facets() == facets_from_links()
    Topic.objects.filter(pk=child.pk).update(parent=None)
    assert facets() == facets_from_links()


def test_a_deleted_clause_and_a_raw_insert_keep_the_rows_current():
    clause = Clause.objects.filter(topic_links__isnull=False, party_links__isnull=False).first()
    clause.delete()
    assert not ClauseFacet.objects.filter(clause_id=clause.pk).exists()
    assert facets() == facets_from_links()
    other = Clause.objects.exclude(topic_links__topic__slug="taiwan").first()
    taiwan = Topic.objects.get(slug="taiwan")
    with connection.cursor() as cursor:  # a write the ORM does not see
        cursor.execute(
            "INSERT INTO statements_clausetopic (clause_id, topic_id, assigned_by, rule, created_at) "
            "VALUES (%s, %s, 'rule', 'raw', CURRENT_TIMESTAMP)",
            [other.pk, taiwan.pk],
        )
    assert facets() == facets_from_links()


def test_a_filtered_list_counts_a_new_link_at_once(api_client):
    before = api_client.get(URL, {"topic": "taiwan"}).json()["count"]
    clause = Clause.objects.exclude(topic_links__topic__slug="taiwan").first()
    ClauseTopic.objects.create(clause=clause, topic=Topic.objects.get(slug="taiwan"))
    assert api_client.get(URL, {"topic": "taiwan"}).json()["count"] == before + 1


def test_clauses_placed_anew_keep_their_rows_positions():
    """Adding a clause, removing one (statements.models.placement moves those after it) and a raw renumbering: each
    row keeps its clause's position, which a filtered page's run starts from."""
    clause = Clause.objects.filter(topic_links__isnull=False, party_links__isnull=False, position__gt=1).first()
    Clause.objects.insert(Clause(section=clause.section, position=clause.position, text="A clause placed first."))
    assert facets() == facets_from_links()
    Clause.objects.remove(Clause.objects.get(pk=clause.pk))
    assert facets() == facets_from_links()
    with connection.cursor() as cursor:  # a write the ORM does not see
        cursor.execute(
            "UPDATE statements_clause SET position = position + 1000 WHERE document_id = %s", [clause.document_id]
        )
    assert facets() == facets_from_links()


def test_migration_0022_gives_the_rows_their_positions_and_its_undoing_keeps_them(transactional_db):
    """Undone, the rows stay (without positions) and 0015's triggers write them; done again, every row has its
    clause's position and the triggers follow a clause moved."""
    topic = TopicFactory(parent=TopicFactory())  # a transactional test's database has no vocabulary
    document = document_with_clauses(3, topics=[topic], slug="placed")
    migrate([("statements", "0021_clause_link_ids")])
    try:
        with connection.cursor() as cursor:  # 0015's triggers, with the clauses' positions shuffled
            cursor.execute(
                "UPDATE statements_clause SET position = position + 10 WHERE document_id = %s", [document.pk]
            )
            cursor.execute("SELECT count(*) FROM statements_clausefacet WHERE document_id = %s", [document.pk])
            assert cursor.fetchone()[0] == 3 * 3  # every clause: its own row, its topic's and its parent's
        migrate([("statements", "0022_clause_facet_positions")])
        assert facets() == facets_from_links()
        Clause.objects.filter(document=document, position=11).update(position=1)
        assert facets() == facets_from_links()
    finally:
        back_to_latest()
