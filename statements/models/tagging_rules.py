"""The importer's tagging rules, kept as data and edited in the admin: topic rules and party aliases.

``load_rules()`` compiles the enabled ones for the plain matching functions of statements.tagging.
"""

from django.core.exceptions import ValidationError
from django.db import models

from statements.characters import RefusesControlCharacters
from statements.tagging.rules import ALL_PARTIES, Rule, compile_pattern, refuse_slow_pattern

from .vocabulary import Party, Topic


class RuleKind(models.TextChoices):
    KEYWORDS = "keywords", "Keywords (one phrase a line, whole words, any case)"
    REGEX = "regex", "Regular expression (Python syntax, any case)"


class TopicRuleManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class TopicRule(RefusesControlCharacters):
    """A rule the importer uses to tag clauses with a topic: keywords or a pattern matched in the text."""

    name = models.SlugField(
        max_length=100,
        unique=True,
        help_text="Stable name, recorded on every link the rule makes (ClauseTopic.rule), e.g. 'taiwan'.",
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="rules", help_text="The topic a match tags the clause with."
    )
    kind = models.CharField(
        max_length=16, choices=RuleKind.choices, default=RuleKind.KEYWORDS, help_text="How to read the pattern."
    )
    pattern = models.TextField(
        help_text="Keywords: one phrase a line, matched as whole words in any case. "
        "Regex: one Python regular expression, matched in any case."
    )
    enabled = models.BooleanField(default=True, help_text="Disabled rules are kept but not applied.")
    needs_support = models.BooleanField(
        default=False,
        help_text="Weak evidence: words statements also use in passing (a purpose, a setting, a programme's name). "
        "A match gives the topic only when the clause matches the topic's weak rules twice or one of its other rules.",
    )
    note = models.TextField(blank=True, help_text="Why the rule exists, what it must not match; for curators.")

    objects = TopicRuleManager()

    class Meta:
        ordering = ["topic", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    natural_key.dependencies = ["statements.topic"]

    def clean(self):
        try:
            refuse_slow_pattern(compile_pattern(self.kind, self.pattern))
        except ValueError as error:
            raise ValidationError({"pattern": str(error)}) from error


class PartyAliasManager(models.Manager):
    def get_by_natural_key(self, alias):
        return self.get(alias=alias)


class PartyAlias(RefusesControlCharacters):
    """A way a statement names a speaking party ("the Chinese side", "Xi Jinping"), or all of them ("the two sides")."""

    alias = models.CharField(
        max_length=200,
        unique=True,
        help_text="The words as they appear, e.g. 'the Chinese side'; with kind 'regex', a pattern. "
        "Recorded on every link it makes (ClauseParty.rule).",
    )
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="aliases",
        help_text="The party the alias names; empty for an alias that names every party of the document "
        "('the two sides').",
    )
    kind = models.CharField(
        max_length=16, choices=RuleKind.choices, default=RuleKind.KEYWORDS, help_text="How to read the alias."
    )
    enabled = models.BooleanField(default=True, help_text="Disabled aliases are kept but not applied.")
    note = models.TextField(blank=True, help_text="Why the alias exists, what it must not match; for curators.")

    objects = PartyAliasManager()

    class Meta:
        ordering = ["party", "alias"]
        verbose_name_plural = "party aliases"

    def __str__(self):
        return f"{self.alias} → {self.party.code if self.party_id else 'all parties'}"

    def natural_key(self):
        return (self.alias,)

    natural_key.dependencies = ["statements.party"]

    def clean(self):
        try:
            refuse_slow_pattern(compile_pattern(self.kind, self.alias))
        except ValueError as error:
            raise ValidationError({"alias": str(error)}) from error


def load_rules():
    """The enabled topic rules and party aliases from the database, compiled: (topic_rules, party_aliases)."""
    topic_rules = [
        Rule(
            f"topic-rule:{rule.name}",
            rule.topic.slug,
            compile_pattern(rule.kind, rule.pattern),
            parent=rule.topic.parent.slug if rule.topic.parent_id else "",
            weak=rule.needs_support,
        )
        for rule in TopicRule.objects.filter(enabled=True).select_related("topic__parent").order_by("name")
    ]
    party_aliases = [
        Rule(
            f"party-alias:{alias.alias}",
            alias.party.code if alias.party_id else ALL_PARTIES,
            compile_pattern(alias.kind, alias.alias),
        )
        for alias in PartyAlias.objects.filter(enabled=True).select_related("party").order_by("alias")
    ]
    return topic_rules, party_aliases
