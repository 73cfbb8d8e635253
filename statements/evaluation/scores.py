"""Precision and recall of labels (topics, speakers) against a gold set, per label and over all of them."""

from dataclasses import dataclass


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
