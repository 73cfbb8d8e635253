"""The importer's segmentation measured against the gold set (fixtures/gold/, made by reading).

Evaluation matches a gold clause to an imported clause of the same document by normalised text (case, markup,
punctuation and white space ignored; ``difflib`` similarity >= 0.9), as the conventions for the real corpus
say. The gold set annotates most, not always all, of a document's clauses: recall (gold clauses found) is the
measure; precision (imported clauses in the gold) is a lower bound.
"""

import difflib
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

SIMILAR = 0.9


def normalised(text):
    """Letters and digits only, lower case: what evaluation ignores (case, markup, punctuation, white space)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def best_match(text, candidates):
    """The index of the candidate (normalised texts) most similar to ``text`` if at least SIMILAR, else None."""
    if text in candidates:
        return candidates.index(text)
    best, found = SIMILAR, None
    for index, candidate in enumerate(candidates):
        longest = max(len(text), len(candidate)) or 1
        if abs(len(text) - len(candidate)) > (1 - SIMILAR) * 2 * longest:
            continue  # too different in length to reach the ratio
        ratio = difflib.SequenceMatcher(None, text, candidate, autojunk=False).ratio()
        if ratio >= best:
            best, found = ratio, index
    return found


@dataclass
class SegmentationScore:
    gold: int = 0
    found: int = 0  # gold clauses matched by an imported clause
    imported: int = 0
    matched: int = 0  # imported clauses matching a gold clause
    missed: list = field(default_factory=list)  # (gold file name, gold clause text)

    @property
    def recall(self):
        return self.found / self.gold if self.gold else None

    @property
    def precision(self):
        return self.matched / self.imported if self.imported else None


def score_segmentation(gold_dir, sources_dir, read):
    """Recall and precision of ``read`` (a function given a source path that returns its DocumentDraft) over
    every gold file in ``gold_dir``, whose ``source`` names a file under ``sources_dir``."""
    score = SegmentationScore()
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        draft = read(Path(sources_dir) / gold["source"])
        imported = [normalised(clause.text) for clause in draft.clauses() if not clause.eid.startswith("note_")]
        golds = [normalised(clause["text"]) for clause in gold["clauses"]]
        for text, clause in zip(golds, gold["clauses"], strict=True):
            if best_match(text, imported) is None:
                score.missed.append((path.name, clause["text"]))
            else:
                score.found += 1
        score.gold += len(golds)
        score.imported += len(imported)
        score.matched += sum(best_match(text, golds) is not None for text in imported)
    return score
