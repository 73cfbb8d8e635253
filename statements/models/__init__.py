"""The statement data model, one module per concern; every model is importable from ``statements.models``.

- ``corpus``: Document, Signatory, Section, Clause and the clause–topic / clause–party links (ClauseTopic,
  ClauseParty), with their querysets.
- ``provenance``: who made an editorial assertion (``Provenance``: ``assigned_by``, ``rule``; ``Link`` adds when),
  shared by the clause links, Signatory and ``document_party``'s DocumentParty (a document's parties, each with who
  said so).
- ``vocabulary``: Party (with its PartyName rows and a group's PartyMembership rows) and Topic (a two-level
  tree, with TopicAlias rows for retired slugs).
- ``placement``: where a clause goes, which eid it gets, how it leaves (``Clause.objects``); ``eids``: the
  rules of eids themselves.
- ``retired``: RetiredClause and RetiredDocument, what deleting or re-importing removed (a citation is never
  given to other text, and says where its text went).
- ``aliases``: ClauseAlias, other eids that cite a clause (a request for one redirects to the clause's eid).
- ``tagging_rules``: the importer's TopicRule and PartyAlias, as data.
- ``facets``: ClauseFacet, the (topic or party, document, clause) rows the filters count, kept by triggers;
  ``link_ids``: a clause's topic and party ids on its own row, in its full-text index (PostgreSQL; no model).
- ``versioning``: DataVersion, bumped by every write to the published data (the API's caches).
- ``statement_import``: StatementImport, the admin's import screen (a proxy, no table).
- ``imported``: ImportedSource, the digests of the file a document was last imported from (a second import of
  the same file is recognised without reading it).
"""

from .aliases import ClauseAlias
from .corpus import (
    READING_ORDER,
    Clause,
    ClauseLink,
    ClauseParty,
    ClauseTopic,
    Document,
    DocumentKind,
    Section,
    Signatory,
)
from .document_party import DocumentParty
from .eids import EID_VALIDATOR
from .facets import ClauseFacet, DocumentFacetCount
from .imported import ImportedSource
from .provenance import AssignedBy, Link, Provenance
from .retired import RetiredClause, RetiredDocument
from .statement_import import StatementImport
from .tagging_rules import PartyAlias, RuleKind, TopicRule
from .versioning import DataVersion
from .vocabulary import Party, PartyMembership, PartyName, Topic, TopicAlias

__all__ = [
    "EID_VALIDATOR",
    "READING_ORDER",
    "AssignedBy",
    "Clause",
    "ClauseAlias",
    "ClauseFacet",
    "ClauseLink",
    "ClauseParty",
    "ClauseTopic",
    "DataVersion",
    "Document",
    "DocumentFacetCount",
    "DocumentKind",
    "DocumentParty",
    "ImportedSource",
    "Link",
    "Party",
    "PartyAlias",
    "PartyMembership",
    "PartyName",
    "Provenance",
    "RetiredClause",
    "RetiredDocument",
    "RuleKind",
    "Section",
    "Signatory",
    "StatementImport",
    "Topic",
    "TopicAlias",
    "TopicRule",
]
