"""The search syntax users type, read as PostgreSQL's ``websearch_to_tsquery`` reads it, and written for SQLite's FTS5.

A query is words, "quoted phrases", ``or`` between two terms, and ``-`` before a word or phrase to exclude it, as on
PostgreSQL (https://www.postgresql.org/docs/15/textsearch-controls.html): ``a b or c -d`` is ``(a AND b) OR (c AND
NOT d)``. Anything else a user types is text: FTS5's own operators (``NEAR``, ``*``, ``^``, ``column:``, ``AND``,
parentheses) are never interpreted, because every term reaches FTS5 as a quoted string, which FTS5's tokenizer
splits into a phrase of words. So any input makes a valid MATCH expression, or none (``fts5_match`` returns None: the
query can match nothing).

Where FTS5 cannot say what PostgreSQL says, the difference is documented (README, "Search"): an alternative made only
of exclusions (``-war``, "every clause without war" on PostgreSQL) matches nothing on SQLite, since FTS5's NOT
excludes from something; there are no stop words (``of`` and ``the`` are words like any other, so a phrase must hold
them where the text does); stemming is the Porter stemmer's, close to PostgreSQL's English one.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

# A word as FTS5's unicode61 tokenizer sees one: letters and digits (underscore and punctuation separate words).
WORD = re.compile(r"[^\W_]+")
# A quoted phrase (its closing quote optional, as in websearch_to_tsquery), or a run of anything but space and quotes.
TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')


@dataclass(frozen=True)
class Term:
    """A word or phrase of a query (its text as typed), excluded when ``negated``."""

    text: str
    negated: bool = False


def alternatives(q):
    """The query ``q`` as its ``or``-separated alternatives, each a tuple of Terms that must all hold.

    Terms without a word (punctuation only) are left out, as PostgreSQL leaves them out; so is an ``or`` without a
    term on either side; alternatives left empty are dropped.
    """
    groups, current, pending_or = [], [], False
    for minus, phrase, bare in TOKEN.findall(q):
        text = phrase if bare == "" else bare
        if not minus and bare.lower() == "or" and phrase == "":
            pending_or = bool(current)
            continue
        if not WORD.search(text):
            continue
        if pending_or:
            groups.append(tuple(current))
            current, pending_or = [], False
        current.append(Term(text, negated=bool(minus)))
    if current:
        groups.append(tuple(current))
    return groups


def quoted(text):
    """An FTS5 string: the text between double quotes, each quote in it doubled (FTS5 tokenizes it as a phrase)."""
    return '"' + text.replace('"', '""') + '"'


@lru_cache(maxsize=256)  # popular queries recur: each search page writes its query's expression
def fts5_match(q):
    """The FTS5 MATCH expression for the query ``q``, or None where it can match nothing (no term to find)."""
    written = []
    for group in alternatives(q):
        included = [quoted(term.text) for term in group if not term.negated]
        if not included:  # FTS5's NOT is binary: "everything but" cannot be said (module docstring)
            continue
        expression = "(" + " AND ".join(included) + ")"
        for term in group:
            if term.negated:
                expression += " NOT " + quoted(term.text)
        written.append(expression)
    return " OR ".join(written) or None


def query_words(q):
    """The lowercase words of a query's terms that are not excluded, in order, without repeats."""
    included = (term.text for group in alternatives(q) for term in group if not term.negated)
    return list(dict.fromkeys(word.lower() for text in included for word in WORD.findall(text)))
