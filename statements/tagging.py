"""Rule-based tagging: which topics a clause is about and which parties speak in it.

Plain functions over plain values, so they can be tested and reported on without a
database: a rule is (name, topic slug or party code, compiled pattern). The rules
themselves are data (statements.models.TopicRule, PartyAlias), compiled by
``statements.models.tagging_rules.load_rules()``; this module imports no model.

Patterns are curators' regular expressions run on uploaded text, so no pattern may take unbounded time: one
with catastrophic backtracking (``(a+)+$``) on a long run of ``a`` held a gunicorn worker until it was killed, and
``import_statement`` never ended (issue 14). Hence the ``regex`` module, whose searches take a timeout: a rule is
refused when it is saved if it takes too long on hostile text (``refuse_slow_pattern``), and a rule that got past
that check (loaded from a fixture) gives up on a text after MATCH_TIMEOUT_S, and is skipped for the rest of the
run (``Rule.search``), so a run is bounded by rules x MATCH_TIMEOUT_S. (google-re2 would be linear by
construction, but has no lookarounds, which the keyword rules and several regex rules use.)

Speed: a rule's regex is tried only where one of its needles (the literal text every match starts with) starts a
word of the text (``NeedleIndex``), so re-tagging the corpus runs most rules on no clause at all; ``RuleMatcher``
finds a text's needles once for every question asked of it (does a rule match, where). The needles, the index and
the matchers are one concern (matching rules, fast and bounded) and stay in this module, about 500 lines.
"""

import logging
import re
import re._constants as sre
import re._parser as sre_parse
import string
from dataclasses import dataclass
from functools import cache, lru_cache, wraps

import regex

ALL_PARTIES = "*"
MATCH_TIMEOUT_S = 0.25
# When a rule is saved: the longest it may take on any of the hostile probes (see hostile_probes).
CHECK_TIMEOUT_S = 0.05
PROBE_LENGTH = 5000
logger = logging.getLogger(__name__)


@dataclass(eq=False)
class Rule:
    """One compiled rule: a match in a clause's text links the clause to ``target``."""

    name: str
    target: str  # a topic slug, a party code, or ALL_PARTIES (every party of the document)
    pattern: regex.Pattern
    gave_up: bool = False
    parent: str = ""  # a topic rule's: the slug of its topic's parent ("" for a top-level topic)
    weak: bool = False  # a topic rule's: its match alone is weak evidence (statements.topic_selection)

    def search(self, text, at=None, start=0):
        """The first match in ``text`` (with ``at``, only a match starting there; else from ``start`` on), or None:
        also when matching took over MATCH_TIMEOUT_S, after which the rule gives up for good (for this compiled rule:
        one import, one report) and says so in the log."""
        if self.gave_up:
            return None
        try:
            if at is None:
                return self.pattern.search(text, start, timeout=MATCH_TIMEOUT_S)
            return self.pattern.match(text, at, timeout=MATCH_TIMEOUT_S)
        except TimeoutError:
            self.gave_up = True
            logger.warning(
                "tagging rule %s gave up: matching took over %s s; it is skipped for the rest of this run",
                self.name,
                MATCH_TIMEOUT_S,
            )
            return None

    def starts(self, text):
        """Where the matches of this rule start in ``text``, in order (none once it has given up)."""
        found, match = [], self.search(text)
        while match is not None:
            found.append(match.start())
            match = self.search(text, start=max(match.end(), match.start() + 1)) if match.end() < len(text) else None
        return found


def compile_pattern(kind, pattern):
    """Compile a rule's pattern: keywords (one phrase a line, whole words) or a regex; any case.

    Raises ValueError with a readable message when the pattern is empty or invalid.
    """
    if kind == "keywords":
        phrases = [line.strip() for line in pattern.splitlines() if line.strip()]
        if not phrases:
            raise ValueError("Give at least one keyword (one phrase a line).")
        # Straight and curly apostrophes are the same to a reader; a space matches any run of spaces.
        alternatives = [
            regex.escape(phrase).replace("’", "['’]").replace("'", "['’]").replace(r"\ ", r"\s+") for phrase in phrases
        ]
        source = r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)"
    elif kind == "regex":
        source = pattern.strip()
        if not source:
            raise ValueError("Give a regular expression.")
    else:
        raise ValueError(f"Unknown rule kind {kind!r}.")
    try:
        return regex.compile(source, regex.IGNORECASE)
    except regex.error as error:
        raise ValueError(f"Invalid regular expression: {error}.") from error


def hostile_probes(compiled):
    """Texts that make a backtracking pattern take exponential time: long runs of each character the pattern names
    (and of a letter, a digit, a space), alone and alternating with spaces, each ending in a character that fails."""
    named = {character for character in compiled.pattern if character.isalnum() or character in " .,'-"}
    for character in sorted(named | {"a", "1", " "}):
        yield character * PROBE_LENGTH + "!"
        yield (character + " ") * (PROBE_LENGTH // 2) + "!"
    yield (string.ascii_letters + " ") * (PROBE_LENGTH // 53) + "!"


def refuse_slow_pattern(compiled):
    """Raise ValueError when ``compiled`` takes over CHECK_TIMEOUT_S on one of the hostile probes."""
    for probe in hostile_probes(compiled):
        try:
            compiled.search(probe, timeout=CHECK_TIMEOUT_S)
        except TimeoutError:
            raise ValueError(
                f"This pattern takes too long on hostile text (over {CHECK_TIMEOUT_S} s on {len(probe):,} characters"
                f" such as {probe[:12]!r}...): it backtracks catastrophically, e.g. a repeated group inside a "
                "repeated group such as (a+)+. Rewrite it without nested repetition."
            ) from None


MIN_NEEDLE = 2  # letters a literal must have to be worth looking for before running a rule's regex
MAX_NEEDLES = 64  # a rule's needles: past this many, a literal prefix is not lengthened further


@cache
def needles(pattern):
    r"""Case-folded texts, one of which every match of ``pattern`` starts with; None when some branch starts with
    no literal of MIN_NEEDLE characters (then the rule's regex runs on every text).

    A substring test is far cheaper than a case-insensitive regex, and most rules match few clauses: a text
    that contains none of a rule's needles cannot match it, so its regex is not run (``might_match``). The longer
    the needles, the fewer the places tried: a literal runs on through white space (``\s+`` reads as one space,
    as ``fold`` writes it), alternations and optional parts of literals, so ``(?:on|in)\s+infrastructure`` has
    the needles "on infrastructure" and "in infrastructure", not "on" and "in".
    """
    try:
        # the regex module's syntax is re's for what rules use; anything else is not filtered (None)
        found = _prefixes(list(sre_parse.parse(pattern.pattern, pattern.flags & re.IGNORECASE)))
    except (re.error, TypeError, ValueError):
        return None
    if any(len(prefix) < MIN_NEEDLE for prefix, _ in found):
        return None
    return tuple(dict.fromkeys(prefix.casefold() for prefix, _ in found))


SPACE = [(sre.IN, [(sre.CATEGORY, sre.CATEGORY_SPACE)])]  # \s as re's parser gives it
ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)  # \b, ^, lookarounds: they consume no character


def _prefixes(items):
    r"""[(prefix, whole)] for a sequence of parsed items: every match of it starts with one of the prefixes; with
    ``whole``, that prefix is all of such a match (the items so far were literals), so what follows lengthens it."""
    found = [("", True)]
    for op, value in items:
        if op in ZERO_WIDTH:
            continue
        tails = _item_texts(op, value)
        if tails is None or (found != [("", True)] and len(found) * len(tails) > MAX_NEEDLES):
            return [(prefix, False) for prefix, _ in found]
        found = [
            (prefix + tail, tail_whole) if whole else (prefix, False)
            for prefix, whole in found
            for tail, tail_whole in (tails if whole else [("", False)])
        ]
        if not any(whole for _, whole in found):
            break
    return list(dict.fromkeys(found))


def _item_texts(op, value):
    """[(text, whole)] for one parsed item as ``_prefixes`` reads it, or None when it starts with no literal."""
    if op is sre.LITERAL:
        return [(_folded_space(chr(value)), True)]
    if _is_space(op, value):
        return [(" ", True)]
    if op is sre.IN and value and all(member_op is sre.LITERAL for member_op, _ in value):
        return [(_folded_space(chr(member)), True) for _, member in value]  # ['’]: one of a few characters
    if op is sre.SUBPATTERN:
        return _prefixes(list(value[-1]))
    if op is sre.BRANCH:
        return [text for branch in value[1] for text in _prefixes(list(branch))]
    if op is sre.MAX_REPEAT and value[:2] == (0, 1):  # an optional part: with it, or without it
        return [*_prefixes(list(value[2])), ("", True)]
    return None


def _folded_space(character):
    """A white space character as ``fold`` writes it (a space); any other as it is."""
    return OTHER_SPACE.sub(" ", character)


def _is_space(op, value):
    r"""``\s`` or ``\s+``: one run of white space, which ``fold`` makes a single space."""
    return (op is sre.IN and value == SPACE[0][1]) or (
        op is sre.MAX_REPEAT and value[0] == 1 and list(value[2]) == SPACE
    )


# Every white space character (what \s matches) but the space, made a space: same length, so positions stay the
# text's.
OTHER_SPACE = re.compile(r"[^\S ]")


@lru_cache(maxsize=16)  # a clause's text is folded once for its topics and once for its parties
def fold(text):
    """``text`` as needles are compared with it: case-folded, a dotted capital I's combining dot dropped, each
    white space character a space."""
    return OTHER_SPACE.sub(" ", text.casefold().replace("\u0307", ""))


@cache
def _needle_pattern(pattern):
    """One compiled alternation of the needles of ``pattern`` (searched in C, not needle by needle), or None."""
    found = needles(pattern)
    # a needle's space stands for the rule's \s+: the needle is cut there (a literal search is much faster)
    return re.compile("|".join(re.escape(needle.split(" ", 1)[0]) for needle in found)) if found else None


def might_match(rule, folded):
    """False only when ``rule`` cannot match the text ``folded`` (see ``needles``)."""
    needle_pattern = _needle_pattern(rule.pattern)
    return needle_pattern is None or needle_pattern.search(folded) is not None


def first_match(rule, text, folded):
    """``rule``'s first match in ``text`` (``folded`` is ``fold(text)``), or None: its regex is run only on a text
    that holds one of its needles (``might_match``)."""
    return rule.search(text) if might_match(rule, folded) else None


def starts_words(pattern):
    r"""True when every match of ``pattern`` starts a word: it begins with ``\b`` or ``(?<!\w)`` and each of its
    needles with a letter or digit (as topic rules and keywords do)."""
    found = needles(pattern)
    source = pattern.pattern
    return bool(found) and source.startswith((r"\b", r"(?<!\w)")) and all(n[0].isalnum() for n in found)


@dataclass(eq=False)
class NeedleIndex:
    r"""Where the needles of a list of rules occur in a text, found by one compiled pattern (``positions``).

    Every match of a rule starts where one of its needles does (``needles``), so a rule's regex is tried only
    there, anchored: a few cheap attempts instead of a search of the whole text, and no attempt at all for most
    rules. For a rule whose matches start words (``starts_words``: every topic rule and keyword list), its needles
    join one alternation of every such rule's needles, searched at the start of each word in C (the stdlib ``re``:
    the needles are literals, which cannot backtrack); any other rule is searched as before (``first_match``). A
    needle's space stands for the rule's ``\s+``, and matches any run of spaces in the folded text."""

    rules: list
    # the longest needle starting a word: a character no word has, then the needle in a lookahead (every word start is
    # tried). Starting with that character, not with (?<!\w), lets the engine skip to the next one in a fast loop
    # instead of trying a match at every character; the text is searched with a space put first (``positions``).
    pattern: re.Pattern
    by_needle: dict  # a needle -> the indexes of the rules with a needle that is a prefix of it (itself included)
    unindexed: frozenset  # indexes of the other rules

    @classmethod
    def of(cls, rules):
        # what the index holds depends only on the rules' patterns, in order: a list of the same rules loaded again
        # (every import and retag loads them anew) reuses it
        key = tuple((rule.pattern.pattern, rule.pattern.flags) for rule in rules)
        if key not in _indexes:
            if len(_indexes) >= 8:
                _indexes.clear()
            _indexes[key] = cls._index([rule.pattern for rule in rules])
        return cls(rules, *_indexes[key])

    @staticmethod
    def _index(patterns):
        """(pattern, by_needle, unindexed) of a list of rules' patterns."""
        rules_of, unindexed = {}, set()
        for index, pattern in enumerate(patterns):
            if not starts_words(pattern):
                unindexed.add(index)
                continue
            # a needle's first INDEXED_LENGTH characters are a needle too: the trie's depth stays bounded
            for needle in {SPACES.sub(" ", needle)[:INDEXED_LENGTH] for needle in needles(pattern)}:
                rules_of.setdefault(needle, set()).add(index)
        # the needles that match where a longer one does are its prefixes: one match gives them all
        by_needle = {
            needle: tuple(sorted(set().union(*(rules_of.get(needle[:end], ()) for end in range(1, len(needle) + 1)))))
            for needle in rules_of
        }
        pattern = re.compile(r"\W(?=(" + _longest_first(rules_of) + "))") if rules_of else None
        return pattern, by_needle, frozenset(unindexed)

    def positions(self, folded):
        """{rule index: [positions in ``folded`` (``fold``'s) where one of its needles starts]} for the indexed
        rules."""
        found = {}
        if self.pattern is None:
            return found
        by_needle = self.by_needle
        # after a space put first, a needle's position in ``folded`` is where its match (the character before) starts
        for match in self.pattern.finditer(" " + folded):
            needle, start = match.group(1), match.start()
            for index in by_needle[SPACES.sub(" ", needle) if "  " in needle else needle]:
                if index in found:
                    found[index].append(start)
                else:
                    found[index] = [start]
        return found


SPACES = re.compile(r" +")
INDEXED_LENGTH = 40
_indexes = {}  # NeedleIndex.of: (pattern, by_needle, unindexed) by the rules' patterns


def _longest_first(words):
    """A regex source matching any of ``words`` (a space: any run of spaces), the longest where several do: a trie
    of their characters, each node trying its longer continuations before ending there. A list of alternatives
    would be tried one by one at every word; the trie reads each character once."""
    trie = {}
    for word in words:
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}

    def source(node):
        branches = [
            (" +" if character == " " else re.escape(character)) + source(child)
            for character, child in sorted(node.items())
            if character
        ]
        if "" in node:
            branches.append("")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return source(trie)


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


def match_topics(rules, text):
    """The topics whose rules match ``text``: {topic slug: name of the first rule that fired}.

    The most specific topics, and only those the clause is about, as the annotation guidelines want
    (docs/annotation-guidelines.md, section 4): the selection step is ``statements.topic_selection``'s (a weak
    rule's match needs support; a top-level topic found with one of its children is dropped)."""
    from statements.topic_selection import select_topics  # it builds on this module's matching

    return select_topics(rules, text)


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


@dataclass
class Score:
    """Counts for one label (a topic or a party) over a set of clauses."""

    label: str
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self):
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else None

    @property
    def recall(self):
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else None

    @property
    def f1(self):
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)


def score(pairs):
    """Precision and recall per label: ``pairs`` is [(predicted labels, expected labels)], one per clause.

    Returns ({label: Score}, micro Score over all labels).
    """
    scores = {}
    total = Score("micro")
    for predicted, expected in pairs:
        for label in set(predicted) | set(expected):
            entry = scores.setdefault(label, Score(label))
            if label in predicted and label in expected:
                entry.true_positives += 1
                total.true_positives += 1
            elif label in predicted:
                entry.false_positives += 1
                total.false_positives += 1
            else:
                entry.false_negatives += 1
                total.false_negatives += 1
    return scores, total
