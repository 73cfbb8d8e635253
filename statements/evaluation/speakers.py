"""Speaker attribution measured against the gold set (fixtures/gold/, docs/annotation-guidelines.md).

Each gold document's source is parsed by the importer's Markdown reader (no database), attributed as a whole
(``statements.attribution.attribute_document``), and each gold clause is matched to a parsed clause by
``statements.importing.gold.best_match`` (normalised text); a gold clause no parsed clause matches counts as
predicted with no speakers. Scores:

- micro precision / recall / F1 over (clause, party) pairs, and the same per party;
- per-document macro precision / recall: the mean over documents of each document's micro figures; a document
  where the rules predict no speaker (precision undefined) or the gold has none (recall undefined) is left out of
  that mean, as undefined, not counted as 0 or 1;
- the document's parties: how many documents get exactly the gold's parties from ``infer_parties``, and precision /
  recall over (document, party) pairs;
- the signatories (``statements.attribution.authors.infer_signatories``): precision / recall over (document, party,
  person) triples, a person matched by last name (``same_person``).

``--split`` (``halves``) reports the two halves of the gold set (documents in name order, alternately): the rules
were developed reading errors of half A only; half B shows how far they carry to documents not read.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from statements.attribution import attribute_document, infer_parties
from statements.attribution.authors import infer_signatories, same_person
from statements.evaluation.scores import score
from statements.importing.gold import best_match, normalised
from statements.importing.markdown import read_markdown
from statements.importing.tagging import draft_context
from statements.vocabulary import PartyVocabulary

ROOT = Path(__file__).resolve().parent.parent.parent
GOLD_DIR = ROOT / "fixtures" / "gold"
SOURCES_DIR = ROOT / "fixtures" / "sources"
TARGETS = {"micro precision": 0.92, "micro recall": 0.90, "macro precision": 0.90, "macro recall": 0.85}


@dataclass
class DocumentResult:
    name: str
    pairs: list  # [(predicted set, gold set, clause text)]
    parties: list  # inferred
    gold_parties: list
    signatories: list = field(default_factory=list)  # inferred, [(name, party)]
    gold_signatories: list = field(default_factory=list)  # [(name, party)]

    def signatory_hits(self):
        """(true positives, predicted, expected) of the signatories: a predicted one matches a gold one of the same
        party and last name, each gold one at most once."""
        unmatched, hits = list(self.gold_signatories), 0
        for name, party in self.signatories:
            match = next((g for g in unmatched if g[1] == party and same_person(g[0], name)), None)
            if match:
                unmatched.remove(match)
                hits += 1
        return hits, len(self.signatories), len(self.gold_signatories)

    def counts(self):
        tp = sum(len(p & g) for p, g, _ in self.pairs)
        return tp, sum(len(p) for p, _, _ in self.pairs), sum(len(g) for _, g, _ in self.pairs)


@dataclass
class SpeakerReport:
    documents: list = field(default_factory=list)

    def pairs(self):
        return [(p, g) for document in self.documents for p, g, _ in document.pairs]

    def scores(self):
        """({party: Score}, micro Score)."""
        return score(self.pairs())

    def macro(self):
        """(mean precision, mean recall) over documents where each is defined."""
        precisions, recalls = [], []
        for document in self.documents:
            tp, predicted, expected = document.counts()
            if predicted:
                precisions.append(tp / predicted)
            if expected:
                recalls.append(tp / expected)
        mean = lambda values: sum(values) / len(values) if values else None  # noqa: E731
        return mean(precisions), mean(recalls)

    def figures(self):
        _, micro = self.scores()
        precision, recall = self.macro()
        return {
            "micro precision": micro.precision,
            "micro recall": micro.recall,
            "micro F1": micro.f1,
            "macro precision": precision,
            "macro recall": recall,
        }

    def failures(self):
        """The targets missed, as readable lines (empty: every target met)."""
        figures = self.figures()
        return [
            f"speakers {name} {figures[name] or 0:.3f} < {target}"
            for name, target in TARGETS.items()
            if (figures[name] or 0) < target
        ]

    def document_figures(self):
        """{"parties": (precision, recall), "signatories": (precision, recall)} over every document."""
        parties = [
            (len(set(d.parties) & set(d.gold_parties)), len(set(d.parties)), len(set(d.gold_parties)))
            for d in self.documents
        ]
        signatories = [d.signatory_hits() for d in self.documents]
        return {"parties": _precision_recall(parties), "signatories": _precision_recall(signatories)}

    def half(self, which):
        """The documents of half "A" (even positions in name order) or "B" (odd)."""
        offset = 0 if which == "A" else 1
        return SpeakerReport(self.documents[offset::2])


def evaluate(gold_dir=GOLD_DIR, sources_dir=SOURCES_DIR, vocabulary=None, attribute=attribute_document):
    """A SpeakerReport of ``attribute`` over every gold file of ``gold_dir``."""
    vocabulary = vocabulary or PartyVocabulary.default()
    report = SpeakerReport()
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        draft = read_markdown((Path(sources_dir) / gold["source"]).read_bytes(), find_parties=vocabulary.codes).draft
        clauses = [clause for clause in draft.clauses() if not clause.eid.startswith("note_")]
        texts = [clause.text for clause in clauses]
        context = draft_context(draft, vocabulary)
        predicted = attribute(context, texts)
        candidates = [normalised(text) for text in texts]
        pairs = []
        for clause in gold["clauses"]:
            index = best_match(normalised(clause["text"]), candidates)
            found = set(predicted[index]) if index is not None else set()
            pairs.append((found, set(clause["speakers"]), clause["text"]))
        parties = infer_parties(context, texts)
        signatories = [(s.name, s.party) for s in infer_signatories(context, texts, parties)]
        gold_signatories = [(s["name"], s["party"]) for s in gold.get("signatories", ())]
        report.documents.append(
            DocumentResult(path.stem, pairs, parties, gold["parties"], signatories, gold_signatories)
        )
    return report


def _precision_recall(counts):
    """(precision, recall) of [(true positives, predicted, expected)]; None where undefined."""
    tp, predicted, expected = (sum(column) for column in zip(*counts, strict=True)) if counts else (0, 0, 0)
    return (tp / predicted if predicted else None, tp / expected if expected else None)


def _percent(value):
    return "  n/a" if value is None else f"{value:5.1%}"


def write_report(report, write, split=False, per_party=True):
    """Print the speakers table: per party, micro, per-document macro, the document's parties; with ``split``
    the same figures for each half."""
    scores, micro = report.scores()
    write(
        f"Speakers: {len(report.documents)} documents, {len(report.pairs())} gold clauses "
        "(the attribution rules: rules alone and what ships are the same, no model is used for speakers)"
    )
    write(f"{'party':<14} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>10} {'recall':>8} {'F1':>7}")
    rows = sorted(scores.values(), key=lambda s: -(s.true_positives + s.false_negatives)) if per_party else []
    for entry in [*rows, micro]:
        write(
            f"{entry.label:<14} {entry.true_positives:>5} {entry.false_positives:>5} {entry.false_negatives:>5} "
            f"{_percent(entry.precision):>10} {_percent(entry.recall):>8} {_percent(entry.f1):>7}"
        )
    _write_summary(report, "all", write)
    if split:
        for which in ("A", "B"):
            _write_summary(report.half(which), f"half {which}", write)


def _write_summary(report, label, write):
    figures = report.figures()
    exact = sum(set(d.parties) == set(d.gold_parties) for d in report.documents)
    documents = report.document_figures()
    write(
        f"speakers [{label}, {len(report.documents)} documents]: micro P {_percent(figures['micro precision'])} "
        f"R {_percent(figures['micro recall'])} F1 {_percent(figures['micro F1'])}; per-document macro P "
        f"{_percent(figures['macro precision'])} R {_percent(figures['macro recall'])}; "
        f"document parties exact {exact}/{len(report.documents)}, P {_percent(documents['parties'][0])} "
        f"R {_percent(documents['parties'][1])}; signatories P {_percent(documents['signatories'][0])} "
        f"R {_percent(documents['signatories'][1])}"
    )
