"""The Django admin, the curators' tool: add, correct and tag statements without leaving the browser.

One module a model group; every model is registered here, in one place:
- ``vocabulary``: parties and topics (a tree), with their counts.
- ``documents``: documents with their sections and signatories inline (deleting one retires it); retired
  documents; sections for autocomplete.
- ``clauses``: clauses (text, placement, topics and parties, review of machine links), retired clauses.
- ``tagging_rules``: the importer's topic rules and party aliases.
- ``importing``: "Import a statement" (upload, preview, confirm).

Every list and change page runs a fixed number of queries, whatever the size of the corpus: lists
annotate their counts and prefetch their relations; topics, parties and (until the document is known)
sections are chosen with autocomplete widgets, so no page renders a select of every row in a table.
"""

from django.contrib import admin

from statements.models import (
    Clause,
    Document,
    Party,
    PartyAlias,
    RetiredClause,
    RetiredDocument,
    Section,
    StatementImport,
    Topic,
    TopicAlias,
    TopicRule,
)

from .clauses import ClauseAdmin, RetiredClauseAdmin
from .documents import DocumentAdmin, RetiredDocumentAdmin, SectionAdmin
from .importing import StatementImportAdmin
from .tagging_rules import PartyAliasAdmin, TopicRuleAdmin
from .vocabulary import PartyAdmin, TopicAdmin, TopicAliasAdmin

REGISTERED = {
    Party: PartyAdmin,
    Topic: TopicAdmin,
    TopicAlias: TopicAliasAdmin,
    Document: DocumentAdmin,
    Section: SectionAdmin,
    Clause: ClauseAdmin,
    RetiredClause: RetiredClauseAdmin,
    RetiredDocument: RetiredDocumentAdmin,
    TopicRule: TopicRuleAdmin,
    PartyAlias: PartyAliasAdmin,
    StatementImport: StatementImportAdmin,
}
for model, model_admin in REGISTERED.items():
    admin.site.register(model, model_admin)
