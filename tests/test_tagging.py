"""Tagging rules (statements.tagging) and the tagging_report command."""

import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from statements.evaluation.scores import score
from statements.models import PartyAlias, Topic, TopicRule
from statements.tagging.matching import match_parties
from statements.tagging.rules import ALL_PARTIES, Rule, compile_pattern
from statements.tagging.topics import match_topics


def rule(name, target, kind, pattern):
    return Rule(name, target, compile_pattern(kind, pattern))


class TestPatterns:
    def test_keywords_match_whole_words_in_any_case(self):
        pattern = compile_pattern("keywords", "Taiwan\none-China")
        assert pattern.search("reaffirms that TAIWAN is")
        assert pattern.search("abides by the one-China principle")
        assert not pattern.search("Taiwanese")

    def test_keywords_treat_apostrophes_and_spaces_alike(self):
        pattern = compile_pattern("keywords", "each other's core interests")
        assert pattern.search("issues involving each other’s  core interests")

    def test_keywords_escape_regex_characters(self):
        assert compile_pattern("keywords", "R&D (joint)").search("joint R&D (joint) work")

    @pytest.mark.parametrize(
        ("kind", "pattern", "message"),
        [
            ("keywords", " \n ", "Give at least one keyword"),
            ("regex", "", "Give a regular expression"),
            ("regex", "(unclosed", "Invalid regular expression"),
        ],
    )
    def test_bad_patterns_are_readable_errors(self, kind, pattern, message):
        with pytest.raises(ValueError, match=re.escape(message)):
            compile_pattern(kind, pattern)


class TestMatching:
    def test_topics_name_the_rule_that_fired(self):
        rules = [
            rule("r-taiwan", "taiwan", "keywords", "Taiwan"),
            rule("r-sco", "sco", "regex", r"Shanghai Cooper\w* Organi[sz]ation"),
            rule("r-taiwan-2", "taiwan", "keywords", "reunification"),
        ]
        text = "Taiwan, reunification and the Shanghai Cooperaration Organization."
        assert match_topics(rules, text) == {"taiwan": "r-taiwan", "sco": "r-sco"}
        assert match_topics(rules, "Trade and investment.") == {}

    def test_a_both_sides_alias_names_every_party_of_the_document(self):
        aliases = [rule("a-both", ALL_PARTIES, "keywords", "the two sides")]
        assert match_parties(aliases, "The two sides agreed.", ["cn", "by"]) == {"cn": "a-both", "by": "a-both"}
        assert match_parties(aliases, "The two sides agreed.", ["cn", "ru"]) == {"cn": "a-both", "ru": "a-both"}

    def test_a_party_outside_the_document_is_not_attributed(self):
        aliases = [rule("a-cn", "cn", "keywords", "the Chinese side")]
        assert match_parties(aliases, "The Chinese side said.", ["by", "ru"]) == {}
        assert match_parties(aliases, "The Chinese side said.", ["cn", "by"]) == {"cn": "a-cn"}


class TestScore:
    def test_precision_recall_and_micro_totals(self):
        scores, micro = score([({"a", "b"}, {"a"}), ({"a"}, {"a", "c"}), (set(), {"c"})])
        assert (scores["a"].true_positives, scores["a"].precision, scores["a"].recall) == (2, 1.0, 1.0)
        assert (scores["b"].precision, scores["b"].recall) == (0.0, None)
        assert (scores["c"].precision, scores["c"].recall) == (None, 0.0)
        assert (micro.true_positives, micro.false_positives, micro.false_negatives) == (2, 1, 2)
        assert micro.precision == pytest.approx(2 / 3)
        assert micro.recall == pytest.approx(0.5)
        assert micro.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))


@pytest.mark.django_db
class TestRulesAsData:
    def test_shipped_rules_cover_every_leaf_topic(self):
        leaves = set(Topic.objects.filter(parent__isnull=False).values_list("slug", flat=True))
        assert leaves <= set(TopicRule.objects.values_list("topic__slug", flat=True))
        assert PartyAlias.objects.filter(party__isnull=True, alias="the two sides").exists()

    def test_an_invalid_pattern_is_a_validation_error(self):
        bad = TopicRule(name="bad", topic=Topic.objects.get(slug="taiwan"), kind="regex", pattern="(oops")
        with pytest.raises(ValidationError) as caught:
            bad.full_clean()
        assert "Invalid regular expression" in caught.value.message_dict["pattern"][0]

    def test_a_disabled_rule_is_not_applied(self):
        out = StringIO()
        TopicRule.objects.filter(name="taiwan").update(enabled=False)
        call_command("tagging_report", stdout=out)
        assert re.search(r"^taiwan\s+0\s+0\s+2\s+n/a\s+0%", out.getvalue(), re.MULTILINE)

    def test_report_prints_a_row_per_topic_and_party_and_micro_totals(self):
        out = StringIO()
        call_command("tagging_report", stdout=out)
        report = out.getvalue()
        assert report.startswith("61 clauses, ")
        assert re.search(r"^taiwan\s+2\s+0\s+0\s+100%\s+100%\s+100%$", report, re.MULTILINE)
        assert re.search(r"^cn\s+\d+\s+\d+\s+\d+\s+\d+%", report, re.MULTILINE)
        assert report.count("\nmicro ") == 2
