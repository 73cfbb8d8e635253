"""statements.api.v1.representation: a clause's public fields, defined once, as every endpoint serves them."""

import json

import pytest

from statements.api.v1.representation import CLAUSE_FIELDS, SEARCH_RESULT_FIELDS, names

from .openapi import JOINT_STATEMENT, READOUT, openapi_schema

pytestmark = pytest.mark.django_db
CLAUSE = f"/api/v1/documents/{JOINT_STATEMENT}/clauses/para_39/"


def schema_fields(component):
    """The properties the schema documents for ``component``, in order."""
    return list(openapi_schema()["components"]["schemas"][component]["properties"])


def test_every_clause_body_names_the_fields_the_schema_documents_in_order(api_client):
    clause_fields = schema_fields("Clause")
    assert clause_fields == names(CLAUSE_FIELDS)
    assert list(api_client.get(CLAUSE).json()) == clause_fields
    assert all(list(c) == clause_fields for c in api_client.get("/api/v1/clauses/").json()["results"])
    ordered = api_client.get("/api/v1/clauses/", {"ordering": "-updated_at", "page_size": 5}).json()["results"]
    assert all(list(c) == clause_fields for c in ordered)
    listed = api_client.get(f"/api/v1/documents/{JOINT_STATEMENT}/clauses/").json()["results"]
    assert all(list(c) == clause_fields for c in listed)
    exported = api_client.get("/api/v1/clauses/export/", {"document": READOUT})
    assert all(list(json.loads(line)) == clause_fields for line in b"".join(exported.streaming_content).splitlines())
    similar = api_client.get(CLAUSE + "similar/", {"min_score": 0.1}).json()
    assert list(similar["clause"]) == clause_fields
    assert all(list(match["clause"]) == clause_fields for match in similar["results"])


def test_search_results_and_references_name_the_schemas_fields_in_order(api_client):
    assert schema_fields("SearchResult") == names(SEARCH_RESULT_FIELDS)
    results = api_client.get("/api/v1/search/", {"q": "Ukraine"}).json()["results"]
    assert results and all(list(result) == schema_fields("SearchResult") for result in results)
    document = api_client.get(f"/api/v1/documents/{JOINT_STATEMENT}/").json()
    references = [clause for section in document["sections"] for clause in section["clauses"]]
    assert references and all(list(clause) == schema_fields("ClauseRef") for clause in references)
    compared = api_client.get("/api/v1/compare/", {"documents": f"{READOUT},{JOINT_STATEMENT}"}).json()
    cells = [cell for row in compared["topics"] for cell in row["documents"] for cell in cell["clauses"]]
    assert cells and all(list(clause) == schema_fields("ComparedClause") for clause in cells)
