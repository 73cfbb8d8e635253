"""The public representation of clauses and documents: which fields the API shows, in order.

The serializers (which document them in the OpenAPI schema) and the fast paths of statements.api.v1.rows
(which build the same JSON from database rows) both take their field lists from here.
"""

CLAUSE_FIELDS = [
    "citation",
    "url",
    "html_url",
    "document",
    "section",
    "position",
    "eid",
    "label",
    "text",
    "topics",
    "parties",
    "updated_at",
]
SEARCH_RESULT_FIELDS = [*CLAUSE_FIELDS, "rank", "snippet"]

DOCUMENT_FIELDS = [
    "slug",
    "url",
    "title",
    "kind",
    "date",
    "date_is_editorial",
    "editorial_note",
    "publisher",
    "source_url",
    "language",
    "is_translation",
    "original_language",
    "translation_note",
    "parties",
    "signatories",
    "clause_count",
    "clauses_url",
    "updated_at",
]
DOCUMENT_DETAIL_FIELDS = [*DOCUMENT_FIELDS, "sections"]
