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
word of the text (``NeedleIndex``), so re-tagging the corpus runs most rules on no clause at all. The needles, the
index and the matchers are one concern (matching rules, fast and bounded) and stay in this module, a little over
400 lines.
"""

import logging
import re
import re._constants as sre
import re._parser as sre_parse
import string
from dataclasses import dataclass
from functools import cache, lru_cache

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


@cache
def needles(pattern):
    """Case-folded texts, one of which every match of ``pattern`` starts with; None when some branch starts with
    no literal of MIN_NEEDLE characters (then the rule's regex runs on every text).

    A substring test is far cheaper than a case-insensitive regex, and most rules match few clauses: a text
    that contains none of a rule's needles cannot match it, so its regex is not run (``might_match``).
    """
    try:
        # the regex module's syntax is re's for what rules use; anything else is not filtered (None)
        found = _branch_needles(list(sre_parse.parse(pattern.pattern, pattern.flags & re.IGNORECASE)))
    except (re.error, TypeError, ValueError):
        return None
    return tuple(found) if found else None


SPACE = [(sre.IN, [(sre.CATEGORY, sre.CATEGORY_SPACE)])]  # \s as re's parser gives it


def _is_space(op, value):
    r"""``\s`` or ``\s+``: one run of white space, which ``fold`` makes a single space."""
    return (op is sre.IN and value == SPACE[0][1]) or (
        op is sre.MAX_REPEAT and value[0] == 1 and list(value[2]) == SPACE
    )


def _leading_branches(items):
    """The alternatives of ``items``' first item when it is an alternation (``a|b`` or ``(?:a|b)``), else None."""
    if not items:
        return None
    op, value = items[0]
    if op is sre.BRANCH:
        return value[1]
    if op is sre.SUBPATTERN:
        inner = list(value[-1])
        if len(inner) == 1 and inner[0][0] is sre.BRANCH:
            return inner[0][1][1]
    return None


def _branch_needles(items, min_length=MIN_NEEDLE):
    r"""The needles of a sequence of parsed items (a branch), or None. A literal run goes through white space
    (``\s+`` reads as one space, as ``fold`` writes it) and on into an alternation that follows it (the parser
    factors ``EU|European`` into ``E(?:U|uropean)``)."""
    for index, (op, value) in enumerate(items):
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width: \b, ^, lookarounds
        if op is sre.LITERAL:
            literal, end = "", index
            for next_op, next_value in items[index:]:
                if next_op is sre.LITERAL:
                    literal += chr(next_value)
                elif _is_space(next_op, next_value):
                    literal += " "
                else:
                    break
                end += 1
            branches = _leading_branches(items[end:])
            tails = _alternatives(branches, 0) if branches is not None else None
            if tails and all(len(literal + tail) >= min_length for tail in tails):
                return [(literal + tail).casefold() for tail in tails]
            return [literal.casefold()] if len(literal) >= min_length else None
        if op is sre.SUBPATTERN and not items[index + 1 :]:
            return _branch_needles(list(value[-1]), min_length)
        branches = _leading_branches(items[index:])
        if branches is not None:
            return _alternatives(branches, min_length)
        if op is sre.SUBPATTERN:
            return _branch_needles(list(value[-1]), min_length)
        return None
    return None


def _alternatives(branches, min_length=MIN_NEEDLE):
    found = []
    for branch in branches:
        branch_needles = _branch_needles(list(branch), min_length)
        if not branch_needles:
            return None
        found.extend(branch_needles)
    return found


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


WORD = re.compile(r"\w+")
SPACES = re.compile(r" +")
LEADING_WORD = re.compile(r"\w{1,5}")


@dataclass(eq=False)
class NeedleIndex:
    r"""Where the needles of a list of rules occur in a text, found in one pass over its words (``positions``).

    Every match of a rule starts where one of its needles does (``needles``), so a rule's regex is tried only
    there, anchored: a few cheap attempts instead of a search of the whole text, and no attempt at all for most
    rules. For a rule whose matches start words (``starts_words``: every topic rule and keyword list), the needles
    are looked up by the first letters of each word of the text; any other rule is searched as before
    (``first_match``). A needle's space stands for the rule's ``\s+``: where the text has a longer run of white
    space, a needle's first word is enough to try the rule."""

    rules: list
    by_start: dict  # the first 1-5 letters of a needle -> [(needle, its first word, rule index)]
    key_lengths: tuple  # the lengths of by_start's keys
    heads: frozenset  # the first two letters of by_start's keys (one for a one-letter key): a word's quick test
    unindexed: frozenset  # indexes of the other rules

    @classmethod
    def of(cls, rules):
        by_start, unindexed = {}, set()
        for index, rule in enumerate(rules):
            if not starts_words(rule.pattern):
                unindexed.add(index)
                continue
            for needle in {SPACES.sub(" ", needle) for needle in needles(rule.pattern)}:
                key = LEADING_WORD.match(needle).group()
                by_start.setdefault(key, []).append((needle, needle.split(" ", 1)[0], index))
        lengths = tuple(sorted({len(key) for key in by_start}))
        return cls(rules, by_start, lengths, frozenset(key[:2] for key in by_start), frozenset(unindexed))

    def positions(self, folded):
        """{rule index: [positions in ``folded`` (``fold``'s) where one of its needles starts]} for the indexed
        rules."""
        found, runs = {}, "  " in folded
        by_start, key_lengths, heads = self.by_start, self.key_lengths, self.heads
        for word in WORD.finditer(folded):
            text = word.group()
            if text[:2] not in heads and text[:1] not in heads:
                continue
            start = word.start()
            for length in key_lengths:
                if length > len(text):
                    break
                for needle, first_word, index in by_start.get(text[:length], ()):
                    if folded.startswith(needle, start) or (
                        runs and folded.startswith(first_word, start) and _starts_spaced(folded, start, needle)
                    ):
                        found.setdefault(index, []).append(start)
        return found


def _starts_spaced(folded, start, needle):
    """Whether ``needle`` starts at ``start`` once runs of white space are one space (or may: a run longer than the
    window looked at keeps it a candidate)."""
    window = folded[start : start + len(needle) + 32]
    if "  " not in window:
        return False  # single spaces here: the plain comparison (startswith) was the right one
    collapsed = " ".join(window.split())
    return collapsed.startswith(needle) or (len(collapsed) < len(needle) and needle.startswith(collapsed))


_index_cache = {}  # id of a list of rules -> its NeedleIndex: the matchers are called once per clause


def needle_index(rules):
    """The NeedleIndex of ``rules`` (the same list object as before: the same index; a few lists are kept, the
    topic rules and the party aliases of a run)."""
    index = _index_cache.get(id(rules))
    if index is None or index.rules is not rules:
        if len(_index_cache) >= 8:
            _index_cache.clear()
        index = _index_cache[id(rules)] = NeedleIndex.of(rules)
    return index


def matching_rules(rules, text, folded):
    """The rules of ``rules`` that match ``text`` (``folded`` is ``fold(text)``), in their order, skipping any whose
    target an earlier one matched: [(rule, target)]."""
    index = needle_index(rules)
    # case folding that changed the text's length (a German ß) moves positions: then each rule searches in full
    positions = index.positions(folded) if len(folded) == len(text) else None
    # in the rules' order (the first rule that fires names the link): those with a needle here, and the others
    numbers = range(len(rules)) if positions is None else sorted(index.unindexed.union(positions))
    matched, targets = [], set()
    for number in numbers:
        rule = rules[number]
        if rule.target in targets:
            continue
        if positions is None or number in index.unindexed:
            hit = first_match(rule, text, folded)
        else:
            hit = any(rule.search(text, at=start) for start in positions[number])
        if hit:
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
    for alias in matching_rules(aliases, text, fold(text)):
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
