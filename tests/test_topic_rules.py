"""The topic rules' behaviour on general diplomatic language (fixtures/vocabulary/topic-rules.yaml, loaded from
fixtures/topic-rules.json): the borderline cases of docs/annotation-guidelines.md, the most specific topics, and
the needle index giving what a plain search of every rule gives."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from statements.evaluation.topics import gold_clauses
from statements.models.tagging_rules import load_rules
from statements.tagging.needles import NeedleIndex, fold, needles
from statements.tagging.rules import Rule, compile_pattern
from statements.tagging.topics import match_topics

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules():
    return load_rules()[0]


def topics(rules, text):
    return set(match_topics(rules, text))


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("They discussed energy sovereignty and energy independence for Europe.", {"energy-security"}, {"sovereignty"}),
        (
            "They opposed any unilateral attempts to change the status quo by force or coercion.",
            {"sovereignty"},
            {"sanctions"},
        ),
        ("We reaffirm our respect for the sovereignty and territorial integrity of Ukraine.", {"sovereignty"}, set()),
        ("The leaders discussed food security, fertilizer prices and hunger.", {"food-security"}, {"sovereignty"}),
        ("They committed to strengthening the Treaty on the Non-Proliferation of Nuclear Weapons.", set(), set()),
        (
            "Both sides will expand access to quality education and vocational training for girls.",
            {"schooling-and-skills"},
            set(),
        ),
        ("They agreed to cooperate on artificial intelligence safety.", {"artificial-intelligence"}, set()),
        ("We will address the root causes of irregular migration.", {"irregular-migration"}, set()),
        ("The leaders discussed sovereign debt restructuring under the Common Framework.", {"debt"}, set()),
        ("The United States stands with the people of the United States.", set(), {"united-nations"}),
        (
            "The taskforce is led by the U.S. National Security Council and the Department of State.",
            set(),
            {"united-nations"},
        ),
        ("They called on the UN Security Council to act.", {"united-nations"}, set()),
    ],
)
def test_general_language(rules, text, present, absent):
    found = topics(rules, text)
    assert present <= found, found
    assert not absent & found, found


def test_a_child_drops_its_parent(rules):
    # bare "security cooperation" is the top-level security (weak evidence: once is a passing mention); with a
    # military exercise named, the child only
    assert "security" not in topics(rules, "The relationship rests on trade, culture and security cooperation.")
    assert "security" in topics(rules, "They agreed to deepen security cooperation and expand security ties.")
    found = topics(rules, "They agreed to deepen security cooperation through joint military exercises.")
    assert "defence-cooperation" in found and "security" not in found


def test_the_needle_index_finds_what_a_full_search_finds(rules):
    """Anchored matches where needles start words: the same topics as searching every rule over every text."""

    def searched(text):
        found, weak_starts = {}, {}
        for rule in rules:
            if rule.weak:
                starts = {match.start() for match in rule.pattern.finditer(text)}
                weak_starts.setdefault(rule.target, [set(), rule.name])[0].update(starts)
            elif rule.target not in found and rule.pattern.search(text):
                found[rule.target] = rule.name
        for target, (starts, name) in weak_starts.items():
            if target not in found and len(starts) >= 2:
                found[target] = name
        parents = {rule.parent for rule in rules if rule.target in found and rule.parent}
        return {slug: name for slug, name in found.items() if slug not in parents}

    texts = [clause.text for clause in gold_clauses()][::3]
    texts += ["Straße  and\u00a0infrastructure   investment,  UN\nSecurity Council", "İstanbul G7  presidency"]
    for text in texts:
        assert match_topics(rules, text) == searched(text), text[:80]


def test_needles_run_through_white_space_alternations_and_optional_parts():
    pattern = compile_pattern("regex", r"\b(?:EU|European\s+Union)\s+accession")
    assert set(needles(pattern)) == {"eu accession", "european union accession"}
    pattern = compile_pattern("regex", r"\b(?:on|in)\s+infrastructure\b|\bpeoples?(?:’|')?\s+ties")
    assert set(needles(pattern)) == {
        "on infrastructure",
        "in infrastructure",
        "peoples’ ties",
        "peoples' ties",
        "peoples ties",
        "people’ ties",
        "people' ties",
        "people ties",
    }
    # a literal is lengthened up to the point where a part is not literal (\w+), and not at all from there
    assert needles(compile_pattern("regex", r"\binvest\w*\s+in")) == ("invest",)
    assert needles(compile_pattern("regex", r"\b(?:\w+\s+)?infrastructure")) is None
    keywords = compile_pattern("keywords", "comprehensive strategic partnership")
    assert needles(keywords) == ("comprehensive strategic partnership",)
    index = NeedleIndex.of([Rule("r", "t", keywords)])
    text = "a comprehensive  strategic\npartnership"
    assert index.positions(fold(text)) == {0: [2]}


def test_the_needle_index_gives_every_rule_whose_needle_starts_a_word_there():
    """Needles that are prefixes of one another match at the same place: one match of the longest gives them all;
    a needle inside a word is not a place to try."""
    rules = [
        Rule("short", "a", compile_pattern("regex", r"\bfood")),
        Rule("long", "b", compile_pattern("keywords", "food security")),
        Rule("other", "c", compile_pattern("keywords", "security")),
    ]
    index = NeedleIndex.of(rules)
    assert index.positions(fold("Food  security; seafood security.")) == {0: [0], 1: [0], 2: [6, 24]}
    # a needle longer than the index keeps is looked for by its beginning; the rule's regex checks the rest
    long = [
        Rule("long", "a", compile_pattern("keywords", "the comprehensive and progressive agreement for trans-pacific"))
    ]
    text = "They discussed the Comprehensive and Progressive Agreement for Trans-Pacific Partnership."
    assert NeedleIndex.of(long).positions(fold(text)) == {0: [15]}
    assert match_topics(long, text) == {"a": "long"}


def test_the_shipped_rule_fixtures_are_what_the_command_writes(capsys):
    call_command("build_topic_fixture", "--check")
    assert "topic-rules.json is up to date" in capsys.readouterr().out


def test_a_stale_fixture_fails_the_check(tmp_path):
    call_command("build_topic_fixture", "--output-dir", str(tmp_path))
    rules_file = tmp_path / "topic-rules.json"
    rules_file.write_text(rules_file.read_text(encoding="utf-8").replace("climate", "weather"), encoding="utf-8")
    with pytest.raises(CommandError, match="is not what build_topic_fixture writes"):
        call_command("build_topic_fixture", "--check", "--output-dir", str(tmp_path))
