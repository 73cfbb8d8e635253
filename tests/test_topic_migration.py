"""Migration 0013 carries a database holding the seed's vocabulary to the new one: every old link (curated or
rule) has a new home, curated links stay curated and win over rules, the seed's rules are disabled and the retired
slugs become aliases. The seed as it was is tests/data/seed-topic-links.json (its 40 topics, its 132 links)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from statements.vocabulary.topics import seed_mappings
from tests.migrating import back_to_latest, migrate

SEED = json.loads((Path(__file__).parent / "data" / "seed-topic-links.json").read_text(encoding="utf-8"))
BEFORE = [("statements", "0012_clause_aliases")]
AFTER = [("statements", "0013_topic_vocabulary")]
HOMES = {mapping.seed: mapping.homes for mapping in seed_mappings()}


@pytest.fixture
def seeded_old_database(transactional_db):
    """A database at 0012 with the seed's topics and links, one rule link beside each curated one on another
    topic, and a rule link where a curator's link will land too."""
    call_command("flush", interactive=False, verbosity=0)  # the session's corpus is on the new vocabulary
    apps = migrate(BEFORE)
    topic_model = apps.get_model("statements", "Topic")
    topics = {}
    for slug, name, parent in SEED["topics"]:  # parents first, as the fixture listed them
        topics[slug] = topic_model.objects.create(slug=slug, name=name, parent=topics.get(parent))
    document = apps.get_model("statements", "Document").objects.create(
        slug="seed", title="Seed", kind="joint_statement", date="2023-03-02"
    )
    section = apps.get_model("statements", "Section").objects.create(document=document, position=1, eid="sec_1")
    clause_model, link_model = apps.get_model("statements", "Clause"), apps.get_model("statements", "ClauseTopic")
    clauses = {}
    for document_slug, eid, _slug, _by in SEED["links"]:
        key = (document_slug, eid)
        if key not in clauses:
            position = len(clauses) + 1
            clauses[key] = clause_model.objects.create(
                document=document, section=section, position=position, eid=f"para_{position}", text=f"{key}"
            )
    for document_slug, eid, slug, by in SEED["links"]:
        link_model.objects.create(clause=clauses[document_slug, eid], topic=topics[slug], assigned_by=by)
    # a rule link on 'partnership's old topic where a curator linked 'political-mutual-trust' (same new home)
    first = next((d, e) for d, e, s, _ in SEED["links"] if s == "political-mutual-trust")
    if not link_model.objects.filter(clause=clauses[first], topic=topics["strategic-partnership"]).exists():
        link_model.objects.create(
            clause=clauses[first], topic=topics["strategic-partnership"], assigned_by="rule", rule="topic-rule:x"
        )
    rule_model = apps.get_model("statements", "TopicRule")
    rule_model.objects.create(name="unilateral-sanctions", topic=topics["unilateral-sanctions"], pattern="sanctions")
    rule_model.objects.create(name="curators-own", topic=topics["belt-and-road"], pattern="Silk Road")
    yield {key: clause.pk for key, clause in clauses.items()}
    back_to_latest()


def test_every_old_link_has_a_new_home_and_curated_links_stay_curated(seeded_old_database):
    apps = migrate(AFTER)
    link_model = apps.get_model("statements", "ClauseTopic")
    links = {
        (clause_id, slug): by
        for clause_id, slug, by in link_model.objects.values_list("clause_id", "topic__slug", "assigned_by")
    }
    for document_slug, eid, old, by in SEED["links"]:
        for home in HOMES[old]:
            assert links.get((seeded_old_database[document_slug, eid], home)) == by, (document_slug, eid, old, home)
    # nothing points at a retired topic any more, and nothing was added but the homes
    expected = {(seeded_old_database[d, e], home) for d, e, old, _ in SEED["links"] for home in HOMES[old]}
    assert set(links) == expected


def test_a_curated_link_wins_over_a_rule_link_to_the_same_home(seeded_old_database):
    apps = migrate(AFTER)
    link_model = apps.get_model("statements", "ClauseTopic")
    first = next((d, e) for d, e, s, _ in SEED["links"] if s == "political-mutual-trust")
    link = link_model.objects.get(clause_id=seeded_old_database[first], topic__slug="partnership")
    assert (link.assigned_by, link.rule) == ("curator", "")


def test_the_vocabulary_rules_and_aliases_after_the_migration(seeded_old_database):
    apps = migrate(AFTER)
    topic_model = apps.get_model("statements", "Topic")
    assert topic_model.objects.filter(parent=None).count() == 30 and topic_model.objects.count() == 149
    taiwan = topic_model.objects.get(slug="taiwan")
    assert taiwan.parent.slug == "indo-pacific" and taiwan.cap_code == 19
    assert not topic_model.objects.filter(slug__in=["strategic-partnership", "sco", "belt-and-road"]).exists()
    alias_model = apps.get_model("statements", "TopicAlias")
    split = list(alias_model.objects.filter(slug="unilateral-sanctions").order_by("position"))
    assert [(a.topic.slug, a.position) for a in split] == [("sanctions", 1), ("rules-based-order", 2)]
    assert alias_model.objects.order_by().values("slug").distinct().count() == 17  # 20 rows: 3 split in two
    rule_model = apps.get_model("statements", "TopicRule")
    seed_rule = rule_model.objects.get(name="unilateral-sanctions")
    assert (seed_rule.topic.slug, seed_rule.enabled) == ("sanctions", False)  # the seed's rule, disabled
    own = rule_model.objects.get(name="curators-own")
    assert (own.topic.slug, own.enabled) == ("infrastructure-and-connectivity", True)  # a curator's, kept on
