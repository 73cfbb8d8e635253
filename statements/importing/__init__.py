"""Importing statements: text in, a document saved (or a fixture written), every problem named by its line.

- ``drafts``: the DocumentDraft tree an import builds, ``ImportErrorList``.
- ``tagging``: ``tag_draft``, topics and speakers (statements.attribution) found by the rules.
- ``parsing``: the plain-text format (``decode``, ``parse``); pure, no database.
- ``saving``: ``save_draft``, ``diff_draft``, ``match_clauses``, ``known_parties``: the database side.
- ``fixtures``: ``draft_to_fixture``, a natural-key fixture instead of a save.
- ``sources``: ``read_source``, one way in for a file of either format (the size limit, the format);
  ``markdown`` (the body of a statement published as Markdown), ``front_matter`` (its metadata) and
  ``lines`` (what a line is: heading, dateline, furniture, number; the warnings) read Markdown.
- ``manifest``: the rows the shipped corpus imports to, one line a row (CI compares them).

The public functions are importable from ``statements.importing`` itself.
"""

from .drafts import ClauseDraft, DocumentDraft, ImportErrorList, Reading, SectionDraft, SignatoryDraft
from .fixtures import draft_to_fixture
from .parsing import decode, parse
from .saving import SaveResult, diff_draft, known_parties, match_clauses, save_draft, save_drafts
from .tagging import tag_draft

__all__ = [
    "ClauseDraft",
    "DocumentDraft",
    "ImportErrorList",
    "Reading",
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
    "save_drafts",
    "tag_draft",
]
