"""Which topics a clause gets from the topic rules that match it: the per-clause selection step.

The rules (statements.tagging.rules.Rule) say where a topic's words occur; the annotation guidelines
(docs/annotation-guidelines.md, section 4) say which of those topics the clause is about:

- **Strong and weak evidence.** Most rules name a topic's own subject ("debt relief", "the Paris Agreement"):
  one match is enough. A rule marked ``needs_support`` (``TopicRule.needs_support``; ``Rule.weak``) holds a
  word statements also use in passing — a purpose ("contributing to sustainable development"), a cause ("challenges
  stemming from the COVID-19 pandemic"), a value invoked ("respect for the rule of law"), a place ("in our seas and
  oceans") — so its match alone gives
  the topic only when the clause comes back to it: a second match of the topic's weak rules (the same words again
  or others), or a match of one of its strong rules (rule 1 of section 4: substantive, not passing).
- **Child, else parent.** A top-level topic found together with one of its children is dropped (rule 2).

Plain functions over plain values, no database, as the rest of statements.tagging: the matching itself (needles,
the timeout) is statements.tagging.matching's.
"""

from dataclasses import dataclass

from .matching import RuleMatcher, matching_rules, per_rule_list

SUPPORTING_MATCHES = 2  # places a weak rule's words must occur at for the topic to be given on weak evidence alone


@dataclass(eq=False)
class SplitRules:
    """One list of topic rules with the numbers (places in the list) of its strong and weak rules by topic."""

    rules: list
    strong_by_topic: dict
    weak_by_topic: dict

    @classmethod
    def of(cls, rules):
        strong, weak = {}, {}
        for number, rule in enumerate(rules):
            (weak if rule.weak else strong).setdefault(rule.target, []).append(number)
        return cls(rules, strong, weak)


@per_rule_list
def split_rules(rules):
    """The SplitRules of ``rules``, kept while the same list is passed (a run calls ``match_topics`` per clause)."""
    return SplitRules.of(rules)


def supported(matcher, numbers):
    """Whether the weak rules ``numbers`` of one topic match ``matcher``'s text (a ``RuleMatcher``) at
    SUPPORTING_MATCHES places or more."""
    starts = set()
    for number in numbers:
        starts.update(matcher.starts(number))
        if len(starts) >= SUPPORTING_MATCHES:
            return True
    return False


def match_topics(rules, text):
    """The topics the clause ``text`` is about: {topic slug: name of the first rule that gave it}.

    The most specific topics, and only those the clause is about, as the annotation guidelines want
    (docs/annotation-guidelines.md, section 4). A topic's strong rules are enough; its weak rules only with support
    (see the module's docstring); a top-level topic is dropped when one of its children is given. One pass of the
    matching over every rule; only a topic whose first match is a weak rule's is looked at again, where the rules'
    needles are (``RuleMatcher``)."""
    split = split_rules(rules)
    matcher = RuleMatcher(rules, text)
    found, parents = {}, {}
    for rule in matching_rules(matcher):
        given = rule
        if rule.weak:
            # the topic's strong rules were skipped once this one fired (matching_rules gives one rule a topic)
            strong = (rules[n] for n in split.strong_by_topic.get(rule.target, ()) if matcher.matches(n))
            given = next(strong, None) or (rule if supported(matcher, split.weak_by_topic[rule.target]) else None)
        if given is not None:
            found[given.target] = given.name
            parents[given.target] = given.parent
    for topic in list(found):
        found.pop(parents[topic], None)
    return found
