"""Who speaks or commits in each clause of a document: general rules over the party vocabulary.

Plain functions, no database (docs/annotation-guidelines.md says what the rules follow):

- ``attribute_document(context, clause_texts) -> list[frozenset[str]]``: every clause's speakers;
- ``attribute_clauses``: the same with the rule that made each party speak (for ``assigned_by=rule`` links);
- ``infer_parties(context, clause_texts)``: the document's parties (its authors; a readout's participants);
- ``DocumentContext``: the title, kind, publisher's state, known parties and date the rules read.

Modules: ``lexicon`` (the words), ``actors`` (who a sentence names; leaders' coreference), ``sentences`` (who
speaks in a sentence), ``document`` (the document's parties; the first person; clauses in reading order).
"""

from .document import DocumentContext, attribute_clauses, attribute_document, infer_parties

__all__ = ["DocumentContext", "attribute_clauses", "attribute_document", "infer_parties"]
