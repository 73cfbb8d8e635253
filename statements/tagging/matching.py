"""Matching a text against a list of rules, fast and bounded: ``RuleMatcher`` finds the text's needles once for
every question asked of it (does a rule match, where), and the speaking parties a document's aliases find.
"""

from functools import wraps

from .needles import NeedleIndex, first_match, fold
from .rules import ALL_PARTIES


def per_rule_list(build):
    """``build(rules)`` kept while the same list object of rules is passed: the matchers are called once per clause
    with the same list (a run's topic rules, its party aliases), and what they derive from it is built once. A few
    lists are kept; the value must hold its list as ``.rules`` (a list whose id was reused is then rebuilt)."""
    cache = {}

    @wraps(build)
    def cached(rules):
        value = cache.get(id(rules))
        if value is None or value.rules is not rules:
            if len(cache) >= 8:
                cache.clear()
            value = cache[id(rules)] = build(rules)
        return value

    return cached


@per_rule_list
def needle_index(rules):
    """The NeedleIndex of ``rules`` (the same list object as before: the same index)."""
    return NeedleIndex.of(rules)


class RuleMatcher:
    """One text against one list of rules: where the indexed rules' needles start in it (``NeedleIndex.positions``,
    found once), and each rule's regex tried only there. A rule's matches all start where one of its needles does,
    so what ``matches`` and ``starts`` say is what a search of the whole text finds."""

    def __init__(self, rules, text):
        self.rules, self.text, self.folded = rules, text, fold(text)
        self.index = needle_index(rules)
        # case folding that changed the text's length (a German ß) moves positions: then each rule searches in full
        self.positions = self.index.positions(self.folded) if len(self.folded) == len(text) else None

    def candidates(self):
        """The numbers of the rules that may match, in the rules' order: those with a needle here, and the others."""
        if self.positions is None:
            return range(len(self.rules))
        return sorted(self.index.unindexed.union(self.positions))

    def _searched_in_full(self, number):
        return self.positions is None or number in self.index.unindexed

    def matches(self, number):
        """Whether rule ``number`` matches the text."""
        rule = self.rules[number]
        if self._searched_in_full(number):
            return first_match(rule, self.text, self.folded) is not None
        return any(rule.search(self.text, at=start) for start in self.positions.get(number, ()))

    def starts(self, number):
        """Where rule ``number``'s matches start, in order, none inside the one before (as ``Rule.starts``)."""
        rule = self.rules[number]
        if self._searched_in_full(number):
            return rule.starts(self.text)
        found, searched_to = [], 0
        for start in self.positions.get(number, ()):
            if start >= searched_to and (match := rule.search(self.text, at=start)) is not None:
                found.append(start)
                searched_to = max(match.end(), start + 1)
        return found


def matching_rules(matcher, wanted=None):
    """The rules of ``matcher`` (a ``RuleMatcher``) that match its text, in their order, skipping any whose target an
    earlier one matched. With ``wanted`` (a set of targets), only the rules for one of them are run: the others'
    matches would be thrown away."""
    matched, targets = [], set()
    for number in matcher.candidates():
        rule = matcher.rules[number]
        if rule.target in targets or (wanted is not None and rule.target not in wanted):
            continue
        if matcher.matches(number):
            matched.append(rule)
            targets.add(rule.target)
    return matched


def match_parties(aliases, text, document_parties):
    """The speaking parties ``aliases`` find in ``text``: {party code: name of the first alias that fired}.

    An alias for ALL_PARTIES ("the two sides") names every one of ``document_parties``.
    Only the document's parties are returned: an alias of a third state does not make it a speaker here.
    """
    found = {}
    # an alias of a state not among them could only name a party that is dropped: it is not run
    wanted = {*document_parties, ALL_PARTIES}
    if not any(alias.target in wanted for alias in aliases):
        return found  # (and the text is not folded for nothing)
    for alias in matching_rules(RuleMatcher(aliases, text), wanted):
        codes = document_parties if alias.target == ALL_PARTIES else [alias.target]
        for code in codes:
            if code in document_parties and code not in found:
                found[code] = alias.name
    return found
