"""The statement data model, one module per concern; every model is importable from ``statements.models``.

- ``corpus``: Document, Signatory, Section, Clause and the clause–topic / clause–party links (ClauseTopic,
  ClauseParty), with their querysets.
- ``vocabulary``: Party and Topic (a two-level tree).
- ``placement``: where a clause goes, which eid it gets, how it leaves (``Clause.objects``); ``eids``: the
  rules of eids themselves.
- ``retired``: RetiredClause, what deleting or re-importing removed (its eid is never reused).
- ``tagging_rules``: the importer's TopicRule and PartyAlias, as data.
- ``versioning``: DataVersion, bumped by every write to the published data (the API's caches).
- ``statement_import``: StatementImport, the admin's import screen (a proxy, no table).
"""

from .corpus import (
    READING_ORDER,
    AssignedBy,
    Clause,
    ClauseLink,
    ClauseParty,
    ClauseTopic,
    Document,
    DocumentKind,
    Section,
    Signatory,
)
from .eids import EID_VALIDATOR
from .retired import RetiredClause
from .statement_import import StatementImport
from .tagging_rules import PartyAlias, RuleKind, TopicRule
from .versioning import DataVersion
from .vocabulary import Party, Topic

__all__ = [
    "EID_VALIDATOR",
    "READING_ORDER",
    "AssignedBy",
    "Clause",
    "ClauseLink",
    "ClauseParty",
    "ClauseTopic",
    "DataVersion",
    "Document",
    "DocumentKind",
    "Party",
    "PartyAlias",
    "RetiredClause",
    "RuleKind",
    "Section",
    "Signatory",
    "StatementImport",
    "Topic",
    "TopicRule",
]
