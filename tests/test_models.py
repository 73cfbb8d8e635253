"""Model constraints, natural keys and the QuerySet methods' query counts."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from statements.models import Clause, ClauseTopic, Document, Section, Topic
from tests.factories import (
    ClauseFactory,
    DocumentFactory,
    PartyFactory,
    SectionFactory,
    TopicFactory,
    document_with_clauses,
)

pytestmark = pytest.mark.django_db


def assert_rejected(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


class TestConstraints:
    def test_duplicate_clause_position_rejected(self):
        clause = ClauseFactory()
        assert_rejected(lambda: ClauseFactory(section=clause.section, position=clause.position, eid="para_99"))

    def test_duplicate_clause_eid_rejected(self):
        clause = ClauseFactory()
        assert_rejected(lambda: ClauseFactory(section=clause.section, position=99, eid=clause.eid))

    def test_same_eid_in_another_document_allowed(self):
        first = ClauseFactory(eid="para_1")
        second = ClauseFactory(eid="para_1")  # another document: eids are unique per document only
        stored = Clause.objects.filter(eid="para_1", pk__in=[first.pk, second.pk]).select_related("document")
        assert sorted(clause.citation for clause in stored) == sorted([first.citation, second.citation])
        assert first.citation != second.citation

    def test_duplicate_section_position_and_eid_rejected(self):
        section = SectionFactory()
        assert_rejected(lambda: SectionFactory(document=section.document, position=section.position, eid="sec_99"))
        assert_rejected(lambda: SectionFactory(document=section.document, position=99, eid=section.eid))

    def test_positions_start_at_one(self):
        assert_rejected(lambda: ClauseFactory(position=0))

    def test_empty_clause_text_rejected(self):
        assert_rejected(lambda: ClauseFactory(text=""))

    def test_unique_slugs_and_codes(self):
        assert_rejected(lambda: DocumentFactory(slug="china-belarus-joint-statement-2023-03-02"))
        assert_rejected(lambda: TopicFactory(slug="taiwan"))
        assert_rejected(
            lambda: (
                Document.objects.get(slug="china-belarus-joint-statement-2023-03-02")
                .parties.model(code="cn", name="x", short_name="x")
                .save()
            )
        )

    def test_clause_topic_link_is_unique(self):
        clause = Clause.objects.get(document__slug="china-belarus-joint-statement-2023-03-02", eid="para_39")
        assert_rejected(
            lambda: ClauseTopic.objects.create(clause=clause, topic=Topic.objects.get(slug="ukraine-crisis"))
        )


class TestClauseDocumentAgreesWithSection:
    def test_document_is_taken_from_the_section(self):
        section = SectionFactory()
        clause = Clause.objects.create(section=section, position=1, eid="para_1", text="Text.")
        assert clause.document == section.document

    def test_database_rejects_a_clause_in_another_documents_section(self):
        section, other = SectionFactory(), DocumentFactory()
        assert_rejected(
            lambda: Clause.objects.create(section=section, document=other, position=1, eid="para_1", text="x")
        )

    def test_database_rejects_moving_a_clause_to_another_documents_section(self):
        clause, foreign_section = ClauseFactory(), SectionFactory()
        assert_rejected(lambda: Clause.objects.filter(pk=clause.pk).update(section=foreign_section))

    def test_database_rejects_moving_a_section_with_clauses(self):
        clause, other = ClauseFactory(), DocumentFactory()
        assert_rejected(lambda: Section.objects.filter(pk=clause.section_id).update(document=other))

    def test_clean_explains_the_mismatch(self):
        clause = ClauseFactory()
        clause.section = SectionFactory()
        with pytest.raises(ValidationError, match="another document"):
            clause.clean()


class TestTopicTree:
    def test_grandchild_rejected(self):
        child = Topic.objects.get(slug="ukraine-crisis")
        with pytest.raises(ValidationError, match="two levels"):
            TopicFactory.build(parent=child).clean()

    def test_topic_with_children_cannot_become_a_child(self):
        parent = Topic.objects.get(slug="international-order")
        parent.parent = Topic.objects.get(slug="security")
        with pytest.raises(ValidationError, match="has children"):
            parent.clean()

    def test_str_shows_the_path(self):
        assert str(Topic.objects.get(slug="taiwan")) == "Indo-Pacific and East Asia › Taiwan and the Taiwan Strait"

    def test_with_descendants(self):
        slugs = set(Topic.objects.with_descendants(["democracy-and-human-rights"]).values_list("slug", flat=True))
        assert slugs == {"democracy-and-human-rights", "democracy", "human-rights", "information-integrity"}

    def test_a_top_level_topic_needs_a_cap_major_topic(self):
        topic = Topic(slug="new-field", name="New field")
        with pytest.raises(ValidationError, match="CAP major topic"):
            topic.clean()
        topic.cap_code = 19
        topic.clean()
        assert topic.cap_major_topic == {"code": 19, "name": "International Affairs"}

    def test_a_former_slug_is_not_a_new_topics(self):
        with pytest.raises(ValidationError, match="former topic"):
            Topic(slug="strategic-partnership", name="Again", cap_code=19).clean()


class TestNaturalKeys:
    def test_clause_round_trips(self):
        clause = Clause.objects.get(document__slug="china-belarus-joint-statement-2023-03-02", eid="para_12")
        assert Clause.objects.get_by_natural_key(*clause.natural_key()) == clause
        assert clause.citation == "china-belarus-joint-statement-2023-03-02/para_12"

    def test_link_natural_keys_name_the_clause_and_topic(self):
        link = ClauseTopic.objects.select_related("clause__document", "topic").filter(topic__slug="taiwan").first()
        assert link.natural_key()[-1] == "taiwan"
        assert ClauseTopic.objects.get_by_natural_key(*link.natural_key()) == link

    def test_translation_requires_a_note(self):
        with pytest.raises(ValidationError, match="translated"):
            DocumentFactory.build(is_translation=True, translation_note="").clean()


class TestQueryCounts:
    """QuerySet methods that views use run a fixed number of queries whatever the size."""

    @pytest.mark.parametrize("n_clauses", [1, 200])
    def test_with_context_is_three_queries(self, django_assert_num_queries, n_clauses):
        topics = [TopicFactory(parent=Topic.objects.get(slug="economy")), TopicFactory()]
        document = document_with_clauses(n_clauses, topics=topics, parties=[PartyFactory(code="xx")])
        with django_assert_num_queries(3):
            clauses = list(Clause.objects.filter(document=document).with_context())
            for clause in clauses:
                assert clause.citation.startswith(document.slug)
                assert clause.section.eid == "sec_1"
                assert [str(t) for t in clause.topics.all()]
                assert [p.code for p in clause.parties.all()] == ["xx"]
        assert len(clauses) == n_clauses

    def test_with_links_is_five_queries(self, django_assert_num_queries):
        with django_assert_num_queries(5):
            for clause in Clause.objects.with_links():
                [(link.topic.slug, link.assigned_by) for link in clause.topic_links.all()]
                [(link.party.code, link.assigned_by) for link in clause.party_links.all()]

    def test_document_with_metadata_is_three_queries(self, django_assert_num_queries):
        with django_assert_num_queries(3):
            for document in Document.objects.with_metadata():
                assert document.clause_count > 0
                [link.party.code for link in document.party_links.all()]
                [(s.name, s.party.code) for s in document.signatories.all()]

    def test_topic_counts(self, django_assert_num_queries):
        with django_assert_num_queries(1):
            counts = {t.slug: (t.clause_count, t.document_count) for t in Topic.objects.with_clause_counts()}
        assert counts["ukraine-crisis"] == (3, 3)

    def test_on_topics_includes_children_and_is_distinct(self):
        on_parent = Clause.objects.on_topics(["europe-and-eurasia"])
        assert on_parent.count() == len(set(on_parent.values_list("pk", flat=True)))
        assert set(Clause.objects.on_topics(["ukraine-crisis"])) <= set(on_parent)

    def test_by_parties(self):
        assert Clause.objects.by_parties(["cn"]).count() == Clause.objects.filter(parties__code="cn").count()
        assert (
            Clause.objects.by_parties(["cn", "by"]).count()
            == Clause.objects.filter(parties__isnull=False).distinct().count()
        )


class TestUpdatedAt:
    """Re-tagging a clause is a change clients must see through updated_since."""

    def clause(self):
        return Clause.objects.get(document__slug="china-belarus-joint-statement-2023-03-02", eid="para_12")

    def test_adding_a_topic_bumps_the_clause(self):
        clause = self.clause()
        before = clause.updated_at
        clause.topics.add(Topic.objects.get(slug="taiwan"))
        clause.refresh_from_db()
        assert clause.updated_at > before

    def test_removing_a_party_link_bumps_the_clause(self):
        clause = self.clause()
        before = clause.updated_at
        clause.party_links.get(party__code="cn").delete()
        clause.refresh_from_db()
        assert clause.updated_at > before

    def test_reverse_add_bumps_every_clause(self):
        clause = self.clause()
        before = clause.updated_at
        Topic.objects.get(slug="taiwan").clauses.add(clause)
        clause.refresh_from_db()
        assert clause.updated_at > before

    def test_fixture_load_keeps_the_fixture_timestamps(self):
        assert {c.updated_at.isoformat() for c in Clause.objects.all()} == {"2026-11-28T00:00:00+00:00"}


class TestClausePlacement:
    """Clause.objects.next_position / end_of_section / next_eid / insert / remove."""

    def test_next_eid_counts_only_para_eids(self):
        section = SectionFactory(position=1)
        ClauseFactory(section=section, position=1, eid="para_7")
        ClauseFactory(section=section, position=2, eid="annex_12")
        ClauseFactory(section=section, position=3, eid="para_7a")
        assert Clause.objects.next_eid(section.document) == "para_8"
        assert Clause.objects.next_position(section.document) == 4

    def test_removed_clauses_are_kept_and_their_eids_never_reused(self):
        topic = TopicFactory()
        document = document_with_clauses(5, topics=[topic])
        Clause.objects.remove(Clause.objects.get(document=document, eid="para_5"))
        Clause.objects.remove(Clause.objects.get(document=document, eid="para_3"))
        assert Clause.objects.next_eid(document) == "para_6"
        assert list(document.clauses.values_list("eid", "position")) == [("para_1", 1), ("para_2", 2), ("para_4", 3)]
        retired = document.retired_clauses.get(eid="para_3")
        assert retired.links["topics"] == [{"topic": topic.slug, "assigned_by": "curator", "rule": ""}]

    def test_a_new_clause_in_an_empty_middle_section_follows_the_sections_before_it(self):
        document = document_with_clauses(3)
        middle = SectionFactory(document=document, position=2)
        last = SectionFactory(document=document, position=3)
        ClauseFactory(section=last, position=4, eid="para_4")
        clause = Clause.objects.insert(Clause(section=middle, text="New."))
        assert (clause.position, clause.eid, clause.document) == (4, "para_5", document)
        assert Clause.objects.get(document=document, eid="para_4").position == 5

    def test_confirm_rule_links(self):
        clause = ClauseFactory()
        ClauseTopic.objects.create(clause=clause, topic=TopicFactory(), assigned_by="rule", rule="keywords")
        assert list(Clause.objects.with_rule_links()) == [clause]
        assert Clause.objects.filter(pk=clause.pk).confirm_rule_links() == 1
        assert not Clause.objects.with_rule_links().exists()
        assert clause.topic_links.get().rule == ""


@pytest.mark.django_db(transaction=True)
def test_insert_and_remove_run_in_their_own_transaction():
    """Outside any transaction (a shell, a command), insert locks and remove retires atomically."""
    section = SectionFactory(position=1)
    clause = Clause.objects.insert(Clause(section=section, text="First."))
    assert (clause.position, clause.eid) == (1, "para_1")
    Clause.objects.remove(clause)
    assert section.document.retired_clauses.get().eid == "para_1"
    assert Clause.objects.insert(Clause(section=section, text="Second.")).eid == "para_2"
