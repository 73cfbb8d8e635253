"""The topic rules measured on the gold set: ``manage.py tagging_report --gold --check`` is what CI runs, and fails
below the issue's targets (statements.evaluation.topics: top-level micro precision >= 0.80, recall >= 0.75, no
top-level topic with >= 10 gold clauses below 0.6 F1)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from statements.evaluation import topics as evaluation
from statements.evaluation.scores import Score
from statements.models import Topic
from statements.models.tagging_rules import load_rules

pytestmark = pytest.mark.django_db


def test_the_shipped_rules_meet_the_targets_on_the_gold_set(capsys):
    call_command("tagging_report", "--gold", "--signal", "topics", "--check")
    out = capsys.readouterr().out
    assert "721 gold clauses" in out and "Every target met." in out
    assert "first half (alternate documents)" in out and "second half (alternate documents)" in out


def test_the_report_prints_both_levels_per_topic(capsys):
    call_command("tagging_report", "--gold", "--signal", "topics")
    out = capsys.readouterr().out
    assert "Topics, top-level roll-up (the targets' level):" in out and "Topics, leaf (as assigned):" in out
    top_level = out.split("Topics, leaf")[0]
    for slug in Topic.objects.filter(parent=None).values_list("slug", flat=True)[:5]:
        assert f"\n{slug} " in top_level, slug
    assert "\nmicro " in top_level


def test_check_fails_below_the_targets(tmp_path, capsys):
    """With no rule at all nothing is found: --check exits non-zero and says which targets were missed."""
    from statements.models import TopicRule

    TopicRule.objects.update(enabled=False)
    with pytest.raises(CommandError, match=r"below the targets: .*topics top-level micro recall 0\.000 < 0\.75"):
        call_command("tagging_report", "--gold", "--signal", "topics", "--check", "--summary")
    out = capsys.readouterr().out
    assert "top-level micro recall 0.000 < 0.75" in out


def test_check_needs_gold():
    with pytest.raises(CommandError, match="--check, --split, --summary and --signal go with --gold"):
        call_command("tagging_report", "--check")


def test_roll_up_and_scores_are_per_level():
    parent_of = dict(Topic.objects.values_list("slug", "parent__slug"))
    clause = evaluation.GoldClause("doc.json", "text", frozenset({"clean-energy", "taiwan"}))
    result = evaluation.evaluate([{"energy-security", "china"}], [clause], parent_of)
    # wrong children of the right fields: 0 of 2 at the leaf, 2 of 2 rolled up
    assert (result.leaf.micro.true_positives, result.leaf.micro.false_positives) == (0, 2)
    assert (result.top.micro.true_positives, result.top.micro.false_positives) == (2, 0)
    assert set(result.top.per_topic) == {"energy", "indo-pacific"}


def test_a_topic_below_its_f1_target_is_named():
    per_topic = {"energy": Score("energy", true_positives=5, false_positives=10, false_negatives=10)}
    level = evaluation.LevelScores(per_topic, Score("micro", 100, 10, 10))
    missed = evaluation.failures(evaluation.TopicEvaluation(1, level, level))
    assert missed == ["energy: F1 0.333 < 0.6 (15 gold clauses)"]


def test_halves_split_documents_not_clauses():
    clauses = evaluation.gold_clauses()
    first, second = evaluation.halves(clauses)
    assert len(first) + len(second) == len(clauses) == 721
    assert not {c.document for c in first} & {c.document for c in second}


def test_the_rules_from_the_database_are_the_ones_evaluated():
    topic_rules, _aliases = load_rules()
    assert len(topic_rules) == Topic.objects.filter(rules__enabled=True).count() or topic_rules
    assert {rule.target for rule in topic_rules} <= set(Topic.objects.values_list("slug", flat=True))


def test_the_shipped_rules_hold_what_they_reach_today():
    """The figures reached may not fall: top-level micro precision 0.810 and recall 0.818 on the gold set once words
    with a second sense, settings, manners and values invoked stopped giving topics (issue 17); 0.789 and 0.820
    before, 0.729 and 0.836 before weak rules needed support (statements.tagging.topics). The held-out half
    (the second) is checked too: 0.778 and 0.798."""
    topic_rules, _aliases = load_rules()
    parent_of = dict(Topic.objects.values_list("slug", "parent__slug"))
    clauses = evaluation.gold_clauses()
    result = evaluation.evaluate(evaluation.predicted_topics(topic_rules, clauses), clauses, parent_of)
    assert result.top.micro.precision >= 0.805
    assert result.top.micro.recall >= 0.81
    _first, second = evaluation.halves(clauses)
    held_out = evaluation.evaluate(evaluation.predicted_topics(topic_rules, second), second, parent_of)
    assert held_out.top.micro.precision >= 0.77
    assert held_out.top.micro.recall >= 0.79
