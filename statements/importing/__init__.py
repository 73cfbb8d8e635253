"""Importing statements: text in, a document saved (or a fixture written), every problem named by its line.

- ``drafts``: the DocumentDraft tree an import builds, ``ImportErrorList``, ``tag_draft``.
- ``parsing``: the plain-text format (``decode``, ``parse``); pure, no database.
- ``saving``: ``save_draft``, ``diff_draft``, ``match_clauses``, ``known_parties``: the database side.
- ``fixtures``: ``draft_to_fixture``, a natural-key fixture instead of a save.

The public functions are importable from ``statements.importing`` itself.
"""

from .drafts import ClauseDraft, DocumentDraft, ImportErrorList, SectionDraft, SignatoryDraft, tag_draft
from .fixtures import draft_to_fixture
from .parsing import decode, parse
from .saving import SaveResult, diff_draft, known_parties, match_clauses, save_draft

__all__ = [
    "ClauseDraft",
    "DocumentDraft",
    "ImportErrorList",
    "SaveResult",
    "SectionDraft",
    "SignatoryDraft",
    "decode",
    "diff_draft",
    "draft_to_fixture",
    "known_parties",
    "match_clauses",
    "parse",
    "save_draft",
    "tag_draft",
]
