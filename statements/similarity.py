"""Text reuse: the clauses of other documents whose language overlaps a given clause's.

Finding them takes two steps.

1. **Candidates from an index of word shingles.** A shingle is a run of ``SHINGLE_WORDS`` (4)
   consecutive words. On PostgreSQL, migration 0006 keeps an inverted index of a sample of every
   clause's shingles (``statements_clauseshingle``: the shingles whose 64-bit hash is divisible by 4,
   maintained by triggers). The candidates are the clauses of other documents sharing the most
   sampled shingles with the source; shingles found in more than ``MAX_POSTINGS`` clauses are
   boilerplate ("the two sides will continue to") and are skipped, except that the source's
   ``RAREST_SHINGLES`` rarest shingles are always used, so a clause made only of common phrasing
   still finds its copies. Each shingle's postings are read from the index alone (at most
   ``MAX_POSTINGS + 1`` entries), so the cost does not grow with the corpus. On SQLite the fallback
   compares the complete shingle sets in Python, over every clause of the other documents.
2. **Scoring and marking.** ``difflib.SequenceMatcher`` lines the two texts up word by word; every
   run of at least ``MIN_RUN_WORDS`` identical words (case-insensitive, punctuation ignored) is a
   shared passage. The score is the share of the *shorter* text's words that lie in shared
   passages: 1.0 when one text is wholly contained in the other, whatever their lengths.

The passages are returned as character offsets into both verbatim texts, so a client can mark them.
"""

import difflib
import heapq
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import connections

try:  # CPython's own MD5: for a shingle's few bytes three times quicker than OpenSSL's (hashlib.md5), same digest
    from _md5 import md5 as _md5
except ImportError:  # a Python built without it
    from hashlib import md5 as _md5

from .models import Clause

WORD = re.compile(r"\w+")
MARK_START, MARK_END = "<mark>", "</mark>"

MIN_RUN_WORDS = 4
DEFAULT_MIN_SCORE = 0.3
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
# Candidates the index step hands to the scoring step (the scoring is exact but costs Python time).
CANDIDATES = 30
SHINGLE_WORDS = 4
MAX_POSTINGS = 500
RAREST_SHINGLES = 4

# The candidates on PostgreSQL: postings of the source's sampled shingles (at most MAX_POSTINGS + 1 each, from the
# covering index), the shingles that are rare enough (or among the rarest few), their clauses in other documents,
# most shared shingles first.
CANDIDATES_SQL = """
WITH source AS (
    SELECT hash FROM statements_clauseshingle WHERE clause_id = %(clause)s
), postings AS (
    SELECT source.hash, posting.clause_id, posting.document_id
    FROM source CROSS JOIN LATERAL (
        SELECT clause_id, document_id FROM statements_clauseshingle AS shingle
        WHERE shingle.hash = source.hash LIMIT %(max_postings)s + 1
    ) AS posting
), usable AS (
    SELECT hash FROM (
        SELECT hash, count(*) AS clauses, row_number() OVER (ORDER BY count(*), hash) AS rarity
        FROM postings GROUP BY hash
    ) AS counted
    WHERE clauses <= %(max_postings)s OR rarity <= %(rarest)s
)
SELECT clause_id FROM postings JOIN usable USING (hash)
WHERE document_id <> %(document)s
GROUP BY clause_id
ORDER BY count(*) DESC, clause_id
LIMIT %(candidates)s
"""


@dataclass
class Passage:
    """A run of words the two clauses share: character offsets into each text (end exclusive)."""

    source_start: int
    source_end: int
    start: int
    end: int
    words: int
    text: str  # the passage as it reads in the other clause (verbatim)


@dataclass
class Match:
    """A clause of another document, how much of its language it shares with the source, and where."""

    clause: Clause
    score: float
    shared_words: int
    passages: list[Passage] = field(default_factory=list)

    @property
    def marked_text(self):
        return mark(self.clause.text, [(p.start, p.end) for p in self.passages])


def tokens(text):
    """The words of ``text``, case-folded, each with its character span."""
    return [(m.group().casefold(), m.start(), m.end()) for m in WORD.finditer(text)]


def shared_passages(source_text, text, min_run=MIN_RUN_WORDS):
    """The passages two texts share (runs of ``min_run`` or more words), and the shorter text's word count."""
    a, b = tokens(source_text), tokens(text)
    matcher = difflib.SequenceMatcher(None, [w for w, _, _ in a], [w for w, _, _ in b], autojunk=False)
    passages = [
        Passage(a[i][1], a[i + n - 1][2], b[j][1], b[j + n - 1][2], n, text[b[j][1] : b[j + n - 1][2]])
        for i, j, n in matcher.get_matching_blocks()
        if n >= min_run
    ]
    return passages, min(len(a), len(b))


def score(source_text, text):
    """How much language ``text`` shares with ``source_text``: (score, shared words, passages)."""
    passages, shorter = shared_passages(source_text, text)
    shared = sum(p.words for p in passages)
    return (round(shared / shorter, 3) if shorter else 0.0), shared, passages


def mark(text, spans):
    """``text`` with each (start, end) span wrapped in <mark>…</mark>; nothing else changes (no escaping)."""
    out, last = [], 0
    for start, end in sorted(spans):
        out += [text[last:start], MARK_START, text[start:end], MARK_END]
        last = end
    out.append(text[last:])
    return "".join(out)


def shingles(text):
    words = [w for w, _, _ in tokens(text)]
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}


def sampled_shingles(words):
    """The sampled shingle hashes of a list of lower-cased words, as a set: each shingle's 64-bit hash as migration
    0008's SQL computes it (the first 8 bytes of the MD5 of its words joined by spaces, a signed bigint), kept when
    divisible by 4, which its 8th byte's two low bits tell before the number is made."""
    encoded = [word.encode() for word in words]
    windows = zip(*(encoded[i:] for i in range(SHINGLE_WORDS)), strict=False)  # the shorter lists end it
    digests = [_md5(b" ".join(shingle)).digest() for shingle in windows]
    return {int.from_bytes(digest[:8], "big", signed=True) for digest in digests if not digest[7] & 3}


class _SqlNonWord(dict):
    """For str.translate: the characters Python counts in a word but PostgreSQL's regular expressions do not
    (Unicode's "other numbers", category No: superscripts, fractions such as "¾") become spaces, the others stay.
    Each character is looked up once, as texts bring it (the whole table took a tenth of a second to build)."""

    def __missing__(self, code):
        character = chr(code)
        self[code] = " " if unicodedata.category(character) == "No" else character
        return self[code]


_sql_non_word = _SqlNonWord()


def text_shingles(text):
    """What SQL's statements_clause_shingles(text) returns, computed in Python (the words are lower(text)'s \\w runs,
    as PostgreSQL reads them: "2¾" is the word "2").

    generate_corpus fills statements_clauseshingle with this instead of the trigger; a PostgreSQL test proves both
    agree on the real and the synthetic corpus.
    """
    text = text.lower()
    if not text.isascii():
        text = text.translate(_sql_non_word)
    return sampled_shingles(WORD.findall(text))


SHINGLE_TRIGGER = "clause_shingles"  # migration 0006: indexes each inserted clause's shingles, row by row
# Migration 0002: refuses a clause whose document is not its section's, row by row. A bulk write may turn it off and
# check its new clauses (ids from a first one on) once, with this query, instead.
DOCUMENT_CHECK_TRIGGER = "statements_clause_document_check"
MISMATCHED_CLAUSE_SQL = """
    SELECT c.id, c.document_id FROM statements_clause c JOIN statements_section s ON s.id = c.section_id
    WHERE c.id >= %s AND c.document_id <> s.document_id LIMIT 1
"""


def set_row_triggers(cursor, action, names):
    """ENABLE or DISABLE those of these row triggers on statements_clause that exist (PostgreSQL; SHINGLE_TRIGGER,
    DOCUMENT_CHECK_TRIGGER); returns their names.

    (ALTER TABLE ... TRIGGER takes a SHARE ROW EXCLUSIVE lock: writers wait until the transaction ends, readers
    do not.)"""
    cursor.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'statements_clause'::regclass AND tgname = ANY(%s)",
        [list(names)],
    )
    found = [name for (name,) in cursor.fetchall()]
    for name in found:
        cursor.execute(f'ALTER TABLE statements_clause {action} TRIGGER "{name}"')
    return found


def candidate_ids(source):
    """Up to CANDIDATES ids of clauses in other documents likely to share language with ``source``, best first."""
    others = Clause.objects.exclude(document_id=source.document_id)
    if connections[others.db].vendor == "postgresql":
        parameters = {
            "clause": source.pk,
            "document": source.document_id,
            "max_postings": MAX_POSTINGS,
            "rarest": RAREST_SHINGLES,
            "candidates": CANDIDATES,
        }
        with connections[others.db].cursor() as cursor:
            cursor.execute(CANDIDATES_SQL, parameters)
            return [pk for (pk,) in cursor.fetchall()]
    # SQLite fallback: shingle overlap, computed over every clause of the other documents.
    wanted = shingles(source.text)
    overlaps = []
    for pk, text in others.values_list("pk", "text").iterator():
        theirs = shingles(text)
        shared = len(wanted & theirs)
        if shared:
            overlaps.append((shared / min(len(wanted), len(theirs)), pk))
    return [pk for _, pk in heapq.nlargest(CANDIDATES, overlaps)]


def similar_clauses(source, min_score=DEFAULT_MIN_SCORE, limit=DEFAULT_LIMIT):
    """Clauses of other documents sharing language with ``source``: Matches scoring at least ``min_score``, best
    first (ties: the most shared words, then the oldest clause), at most ``limit``. The candidates are scored on
    their text alone; only the matches returned are read with their context (document, section, topics,
    parties). A constant number of queries.
    """
    candidates = Clause.objects.filter(pk__in=candidate_ids(source)).values_list("pk", "text")
    scored = []
    for pk, text in candidates:
        value, shared, passages = score(source.text, text)
        if value >= min_score:
            scored.append((-value, -shared, pk, passages))
    best = sorted(scored, key=lambda match: match[:3])[:limit]
    clauses = Clause.objects.with_context().in_bulk([pk for _, _, pk, _ in best])
    return [
        Match(clause=clauses[pk], score=-value, shared_words=-shared, passages=passages)
        for value, shared, pk, passages in best
    ]
