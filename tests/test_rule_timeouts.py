"""A tagging rule cannot hang a worker or a command: hostile patterns are refused, and matching is bounded.

Issue 14, finding 3: a rule ``(a+)+$`` (catastrophic backtracking) was accepted in the admin; one upload of a
statement with a long run of ``a`` then killed gunicorn workers, and ``import_statement`` and
``tagging_report`` never ended.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from statements.models import Party, PartyAlias, Topic, TopicRule

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
BACKTRACKING = ["(a+)+$", "(a|aa)+$", r"(\w+\s?)+$"]


@pytest.mark.parametrize("pattern", BACKTRACKING)
def test_a_topic_rule_that_backtracks_catastrophically_is_refused_when_saved(pattern):
    rule = TopicRule(name="hostile", topic=Topic.objects.get(slug="taiwan"), kind="regex", pattern=pattern)
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert "pattern" in refused.value.message_dict
    assert "too long" in " ".join(refused.value.message_dict["pattern"])


def test_a_party_alias_that_backtracks_catastrophically_is_refused_when_saved():
    alias = PartyAlias(alias="(a+)+$", party=Party.objects.get(code="cn"), kind="regex")
    with pytest.raises(ValidationError) as refused:
        alias.full_clean()
    assert "alias" in refused.value.message_dict


def test_the_corpus_rules_are_still_accepted():
    for rule in TopicRule.objects.all():
        rule.full_clean()
    for alias in PartyAlias.objects.all():
        alias.full_clean()


TAG_HOSTILE_TEXT = """
from statements.tagging.matching import match_parties
from statements.tagging.rules import Rule, compile_pattern
from statements.tagging.topics import match_topics
hostile = "a" * 5000 + "!"
rules = [Rule("topic-rule:hostile", "taiwan", compile_pattern("regex", "(a+)+$")),
         Rule("topic-rule:plain", "economy", compile_pattern("regex", "a{3}"))]
print(sorted(match_topics(rules, hostile)), sorted(match_parties(rules, hostile, ["taiwan"])))
"""


def test_a_backtracking_rule_already_stored_cannot_hang_tagging():
    # A separate process, so that on a hang the test fails at the timeout instead of hanging the suite: Python's
    # `re` holds the GIL while it backtracks. (A rule loaded from a fixture never went through the admin's check.)
    try:
        result = subprocess.run(
            [sys.executable, "-c", TAG_HOSTILE_TEXT], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        pytest.fail("matching a backtracking rule against 5,000 a's did not end within a minute")
    assert result.returncode == 0, result.stderr
    # The hostile rule gives up on this text (no match); the others still match.
    assert result.stdout.split("\n")[0] == "['economy'] []"
