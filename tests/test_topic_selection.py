"""The per-clause selection of topics (statements.tagging.topics): a weak rule's match needs support, a top-level
topic gives way to its children."""

from statements.tagging.rules import Rule, compile_pattern
from statements.tagging.topics import match_topics


def rule(name, target, pattern, *, weak=False, parent=""):
    return Rule(name, target, compile_pattern("keywords", pattern), parent=parent, weak=weak)


RULES = [
    rule("investment", "investment", "foreign direct investment"),
    rule("investment-verbs", "investment", "invest\ninvesting\ninvestors", weak=True),
    rule("health-words", "global-health", "public health", weak=True),
    rule("economy", "economy", "economic policy"),
    rule("growth", "economic-growth", "economic growth", parent="economy"),
]


def test_a_weak_match_alone_gives_no_topic():
    assert match_topics(RULES, "Both leaders pledged to keep investing in public health.") == {}


def test_a_weak_rule_matching_twice_gives_its_topic():
    text = "They will invest in new plants, and investors welcomed the plan."
    assert match_topics(RULES, text) == {"investment": "investment-verbs"}


def test_a_strong_rule_of_the_topic_supports_a_weak_match():
    text = "Investors from both countries discussed foreign direct investment."
    assert match_topics(RULES, text) == {"investment": "investment"}


def test_a_weak_rule_counts_places_not_rules():
    """The same place matched twice (no second occurrence) is still one match."""
    assert match_topics(RULES, "A public health emergency.") == {}
    assert match_topics(RULES, "Public health systems and public health workers.") == {"global-health": "health-words"}


def test_a_top_level_topic_gives_way_to_its_child():
    text = "They discussed economic policy and economic growth."
    assert match_topics(RULES, text) == {"economic-growth": "growth"}


def test_rule_starts_finds_every_match():
    found = rule("r", "t", "health")
    assert found.starts("health, public health and global health") == [0, 15, 33]
    assert found.starts("nothing here") == []
