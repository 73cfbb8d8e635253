"""Which topics a clause gets from the topic rules that match it: the per-clause selection step.

The rules (statements.tagging.Rule) say where a topic's words occur; the annotation guidelines
(docs/annotation-guidelines.md, section 4) say which of those topics the clause is about:

- **Strong and weak evidence.** Most rules name a topic's own subject ("debt relief", "the Paris Agreement"):
  one match is enough. A rule marked ``needs_support`` (``TopicRule.needs_support``; ``Rule.weak``) holds a
  word statements also use in passing — a purpose ("contributing to sustainable development"), a cause ("challenges
  stemming from the COVID-19 pandemic"), a value invoked ("respect for the rule of law"), a place ("in our seas and
  oceans") — so its match alone gives
  the topic only when the clause comes back to it: a second match of the topic's weak rules (the same words again
  or others), or a match of one of its strong rules (rule 1 of section 4: substantive, not passing).
- **Child, else parent.** A top-level topic found together with one of its children is dropped (rule 2).

Plain functions over plain values, no database, as in statements.tagging: the matching itself (needles, the
timeout) is that module's.
"""

from dataclasses import dataclass

from statements.tagging import first_match, fold, matching_rules, per_rule_list

SUPPORTING_MATCHES = 2  # places a weak rule's words must occur at for the topic to be given on weak evidence alone


@dataclass(eq=False)
class SplitRules:
    """One list of topic rules with its strong and weak rules by topic."""

    rules: list
    strong_by_topic: dict
    weak_by_topic: dict

    @classmethod
    def of(cls, rules):
        strong, weak = {}, {}
        for rule in rules:
            (weak if rule.weak else strong).setdefault(rule.target, []).append(rule)
        return cls(rules, strong, weak)


@per_rule_list
def split_rules(rules):
    """The SplitRules of ``rules``, kept while the same list is passed (a run calls ``select_topics`` per clause)."""
    return SplitRules.of(rules)


def supported(rules, text):
    """Whether the weak ``rules`` of one topic match ``text`` at SUPPORTING_MATCHES places or more."""
    starts = set()
    for rule in rules:
        starts.update(rule.starts(text))
        if len(starts) >= SUPPORTING_MATCHES:
            return True
    return False


def select_topics(rules, text):
    """The topics the clause ``text`` is about: {topic slug: name of the first rule that gave it}.

    A topic's strong rules are enough; its weak rules only with support (see the module's docstring); a top-level
    topic is dropped when one of its children is given. One pass of the matching over every rule; only a topic
    whose first match is a weak rule's is looked at again."""
    split = split_rules(rules)
    folded = fold(text)
    found, parents = {}, {}
    for rule in matching_rules(rules, text, folded):
        given = rule
        if rule.weak:
            # the topic's strong rules were skipped once this one fired (matching_rules gives one rule a topic)
            strong = (other for other in split.strong_by_topic.get(rule.target, ()) if first_match(other, text, folded))
            given = next(strong, None) or (rule if supported(split.weak_by_topic[rule.target], text) else None)
        if given is not None:
            found[given.target] = given.name
            parents[given.target] = given.parent
    for topic in list(found):
        found.pop(parents[topic], None)
    return found
