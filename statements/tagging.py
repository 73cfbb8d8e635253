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
"""

import logging
import re
import re._constants as sre
import re._parser as sre_parse
import string
from dataclasses import dataclass
from functools import cache

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

    def search(self, text):
        """The first match in ``text``, or None: also when matching took over MATCH_TIMEOUT_S, after which the rule
        gives up for good (for this compiled rule: one import, one report) and says so in the log."""
        if self.gave_up:
            return None
        try:
            return self.pattern.search(text, timeout=MATCH_TIMEOUT_S)
        except TimeoutError:
            self.gave_up = True
            logger.warning(
                "tagging rule %s gave up: matching took over %s s; it is skipped for the rest of this run",
                self.name,
                MATCH_TIMEOUT_S,
            )
            return None


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


MIN_NEEDLE = 3  # letters a literal must have to be worth looking for before running a rule's regex


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


def _branch_needles(items):
    """The needles of a sequence of parsed items (a branch), or None."""
    for index, (op, value) in enumerate(items):
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width: \b, ^, lookarounds
        if op is sre.LITERAL:
            literal = ""
            for next_op, next_value in items[index:]:
                if next_op is not sre.LITERAL:
                    break
                literal += chr(next_value)
            return [literal.casefold()] if len(literal) >= MIN_NEEDLE else None
        if op is sre.SUBPATTERN and not items[index + 1 :]:
            return _branch_needles(list(value[-1]))
        if op is sre.SUBPATTERN:
            inner = list(value[-1])
            if len(inner) == 1 and inner[0][0] is sre.BRANCH:
                return _alternatives(inner[0][1][1])
            return _branch_needles(inner)
        if op is sre.BRANCH:
            return _alternatives(value[1])
        return None
    return None


def _alternatives(branches):
    found = []
    for branch in branches:
        branch_needles = _branch_needles(list(branch))
        if branch_needles is None:
            return None
        found.extend(branch_needles)
    return found


def fold(text):
    """``text`` as needles are compared with it: case-folded, a dotted capital I's combining dot dropped."""
    return text.casefold().replace("\u0307", "")


@cache
def _needle_pattern(pattern):
    """One compiled alternation of the needles of ``pattern`` (searched in C, not needle by needle), or None."""
    found = needles(pattern)
    return re.compile("|".join(re.escape(needle) for needle in found)) if found else None


def might_match(rule, folded):
    """False only when ``rule`` cannot match the text ``folded`` (see ``needles``)."""
    needle_pattern = _needle_pattern(rule.pattern)
    return needle_pattern is None or needle_pattern.search(folded) is not None


def match_topics(rules, text):
    """The topics whose rules match ``text``: {topic slug: name of the first rule that fired}.

    The most specific topics, as the annotation guidelines want (docs/annotation-guidelines.md, section 4, rule 2): a
    top-level topic found together with one of its children is dropped (a rule for the top-level topic says
    "about this field, no narrower topic named")."""
    found, parents, folded = {}, set(), fold(text)
    for rule in rules:
        if rule.target not in found and might_match(rule, folded) and rule.search(text):
            found[rule.target] = rule.name
            if rule.parent:
                parents.add(rule.parent)
    for parent in parents:
        found.pop(parent, None)
    return found


def match_parties(aliases, text, document_parties):
    """The speaking parties ``aliases`` find in ``text``: {party code: name of the first alias that fired}.

    An alias for ALL_PARTIES ("the two sides") names every one of ``document_parties``.
    Only the document's parties are returned: an alias of a third state does not make it a speaker here.
    """
    found, folded = {}, fold(text)
    for alias in aliases:
        if not might_match(alias, folded) or not alias.search(text):
            continue
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
