"""A tagging rule: a curator's pattern, compiled, bounded in time.

Patterns are curators' regular expressions run on uploaded text, so no pattern may take unbounded time: one
with catastrophic backtracking (``(a+)+$``) on a long run of ``a`` held a gunicorn worker until it was killed, and
``import_statement`` never ended (issue 14). Hence the ``regex`` module, whose searches take a timeout: a rule is
refused when it is saved if it takes too long on hostile text (``refuse_slow_pattern``), and a rule that got past
that check (loaded from a fixture) gives up on a text after MATCH_TIMEOUT_S, and is skipped for the rest of the
run (``Rule.search``), so a run is bounded by rules x MATCH_TIMEOUT_S. (google-re2 would be linear by
construction, but has no lookarounds, which the keyword rules and several regex rules use.)
"""

import logging
import string
from dataclasses import dataclass

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
    weak: bool = False  # a topic rule's: its match alone is weak evidence (statements.tagging.topics)

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
