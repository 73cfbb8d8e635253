"""Rule-based tagging: which topics a clause is about and which parties speak in it.

Plain functions over plain values, so they can be tested and reported on without a
database: a rule is (name, topic slug or party code, compiled pattern). The rules
themselves are data (statements.models.TopicRule, PartyAlias), compiled by
``statements.models.tagging_rules.load_rules()``; this module imports no model.
"""

import re
from dataclasses import dataclass

ALL_PARTIES = "*"


@dataclass(frozen=True)
class Rule:
    """One compiled rule: a match in a clause's text links the clause to ``target``."""

    name: str
    target: str  # a topic slug, a party code, or ALL_PARTIES (every party of the document)
    pattern: re.Pattern


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
            re.escape(phrase).replace("’", "['’]").replace("'", "['’]").replace(r"\ ", r"\s+") for phrase in phrases
        ]
        source = r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)"
    elif kind == "regex":
        source = pattern.strip()
        if not source:
            raise ValueError("Give a regular expression.")
    else:
        raise ValueError(f"Unknown rule kind {kind!r}.")
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error as error:
        raise ValueError(f"Invalid regular expression: {error}.") from error


def match_topics(rules, text):
    """The topics whose rules match ``text``: {topic slug: name of the first rule that fired}."""
    found = {}
    for rule in rules:
        if rule.target not in found and rule.pattern.search(text):
            found[rule.target] = rule.name
    return found


def match_parties(aliases, text, document_parties):
    """The speaking parties ``aliases`` find in ``text``: {party code: name of the first alias that fired}.

    An alias for ALL_PARTIES ("the two sides") names every one of ``document_parties``.
    Only the document's parties are returned: an alias of a third state does not make it a speaker here.
    """
    found = {}
    for alias in aliases:
        if not alias.pattern.search(text):
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
