"""Text reuse: the clauses of other documents whose language overlaps a given clause's.

Finding them takes two steps.

1. **Candidates from an index.** On PostgreSQL, pg_trgm's GIN trigram index on the clause text
   (migration 0005) finds the clauses that contain, approximately, one of the source clause's
   sentences: ``text %> sentence`` (word similarity at least pg_trgm's ``word_similarity_threshold``,
   0.6 by default). Probing sentence by sentence finds a short paragraph copied into a long one *and*
   a long paragraph that a short one quotes, which whole-text similarity misses. On SQLite (no
   pg_trgm) the fallback compares sets of word shingles (runs of 4 words) in Python.
2. **Scoring and marking.** ``difflib.SequenceMatcher`` lines the two texts up word by word; every
   run of at least ``MIN_RUN_WORDS`` identical words (case-insensitive, punctuation ignored) is a
   shared passage. The score is the share of the *shorter* text's words that lie in shared
   passages: 1.0 when one text is wholly contained in the other, whatever their lengths.

The passages are returned as character offsets into both verbatim texts, so a client can mark them.
"""

import difflib
import heapq
import re
from dataclasses import dataclass, field

from django.db import connections
from django.db.models.expressions import RawSQL

from .models import Clause

WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
MARK_START, MARK_END = "<mark>", "</mark>"

MIN_RUN_WORDS = 4
DEFAULT_MIN_SCORE = 0.3
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
# Candidates the index step hands to the scoring step (the scoring is exact but costs Python time).
CANDIDATES = 50
# The longest sentences of the source probe the trigram index; a very long clause needs no more.
PROBE_SENTENCES = 6
PROBE_MIN_WORDS = 5
SHINGLE_WORDS = 4


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


def compare(source, clause):
    """Score ``clause`` against ``source``: a Match (score 0 when they share no passage)."""
    passages, shorter = shared_passages(source.text, clause.text)
    shared = sum(p.words for p in passages)
    return Match(
        clause=clause, score=round(shared / shorter, 3) if shorter else 0.0, shared_words=shared, passages=passages
    )


def mark(text, spans):
    """``text`` with each (start, end) span wrapped in <mark>…</mark>; nothing else changes (no escaping)."""
    out, last = [], 0
    for start, end in sorted(spans):
        out += [text[last:start], MARK_START, text[start:end], MARK_END]
        last = end
    out.append(text[last:])
    return "".join(out)


def probe_sentences(text):
    """The source's longest sentences (at least PROBE_MIN_WORDS words), or the whole text if it has none."""
    sentences = [s for s in SENTENCE_END.split(text) if len(WORD.findall(s)) >= PROBE_MIN_WORDS]
    return heapq.nlargest(PROBE_SENTENCES, sentences, key=len) or [text]


def shingles(text):
    words = [w for w, _, _ in tokens(text)]
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}


def candidate_ids(source):
    """Up to CANDIDATES ids of clauses in other documents likely to share language with ``source``, best first."""
    others = Clause.objects.exclude(document_id=source.document_id)
    if connections[others.db].vendor == "postgresql":
        probes = probe_sentences(source.text)
        column = '"statements_clause"."text"'
        strength = "GREATEST(" + ", ".join([f"word_similarity(%s, {column})"] * len(probes)) + ")"
        return list(
            others.extra(where=[" OR ".join([f"{column} %%> %s"] * len(probes))], params=probes)
            .annotate(strength=RawSQL(strength, probes))
            .order_by("-strength", "pk")
            .values_list("pk", flat=True)[:CANDIDATES]
        )
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
    first (ties in reading order), at most ``limit``. Each match's clause comes with its context (document,
    section, topics, parties). A constant number of queries.
    """
    ids = candidate_ids(source)
    clauses = Clause.objects.filter(pk__in=ids).with_context()
    matches = [match for match in (compare(source, clause) for clause in clauses) if match.score >= min_score]
    matches.sort(
        key=lambda m: (-m.score, -m.shared_words, m.clause.document.date, m.clause.document.slug, m.clause.position)
    )
    return matches[:limit]
