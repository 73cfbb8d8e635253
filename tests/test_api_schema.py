"""The OpenAPI schema is a contract: valid, complete, and true of the real responses."""

import json

import pytest
import yaml
from openapi_spec_validator import validate

from .openapi import assert_matches_schema, openapi_schema

pytestmark = pytest.mark.django_db
OPERATIONS = [(path, operation) for path, item in openapi_schema()["paths"].items() for operation in item.values()]


def first_example(parameter):
    return next(example["value"] for example in parameter["examples"].values() if example["value"] != "")


def url_with_examples(path, operation):
    """The operation's path filled in with the first example of each path and required query parameter."""
    query = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", str(first_example(parameter)))
        elif parameter.get("required"):
            query[parameter["name"]] = first_example(parameter)
    return path, query


def test_served_schema_is_valid_openapi(api_client):
    response = api_client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    spec = yaml.safe_load(response.content)
    validate(spec)
    as_json = api_client.get("/api/v1/schema/", {"format": "json"})
    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert json.loads(as_json.content) == spec
    assert spec["openapi"].startswith("3.0")
    assert set(spec["paths"]) == {
        "/api/v1/",
        "/api/v1/clauses/",
        "/api/v1/clauses/export/",
        "/api/v1/compare/",
        "/api/v1/documents/",
        "/api/v1/documents/{slug}/",
        "/api/v1/documents/{slug}/akn/",
        "/api/v1/documents/{slug}/clauses/",
        "/api/v1/documents/{slug}/clauses/{eid}/",
        "/api/v1/documents/{slug}/clauses/{eid}/similar/",
        "/api/v1/parties/",
        "/api/v1/parties/{code}/",
        "/api/v1/search/",
        "/api/v1/topics/",
        "/api/v1/topics/{slug}/",
        "/api/v1/topics/{slug}/stats/",
    }


@pytest.mark.parametrize(("path", "operation"), OPERATIONS, ids=[path for path, _ in OPERATIONS])
def test_every_operation_is_described_with_its_errors(path, operation):
    assert operation["summary"] and operation.get("description", operation["summary"])
    responses = operation["responses"]
    for status in ("404", "406"):
        assert responses[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        assert responses[status]["content"]["application/json"]["examples"]
    if any(p["in"] == "query" for p in operation.get("parameters", [])):
        assert responses["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    for parameter in operation.get("parameters", []):
        assert parameter.get("description"), (path, parameter["name"])
        if parameter["name"] in {"page", "page_size"}:
            continue
        if parameter["in"] == "query" and not parameter.get("required"):
            # In the description: an example in the schema is what Swagger UI fills in (tests/openapi.py's parameter)
            assert "Examples: `" in parameter["description"], (path, parameter["name"])
        else:
            assert parameter.get("examples"), (path, parameter["name"])


def test_schema_describes_pagination_and_fields():
    components = openapi_schema()["components"]["schemas"]
    paginated = components["PaginatedClauseList"]
    assert set(paginated["properties"]) == {"count", "next", "previous", "results"}
    clause = components["Clause"]["properties"]
    assert "verbatim" in clause["text"]["description"] or "exactly as in the source" in clause["text"]["description"]
    assert "children" in components["TopicTree"]["properties"]["clause_count"]["description"]
    error = components["Error"]
    assert set(error["required"]) == {"status", "code", "detail", "errors"}


@pytest.mark.parametrize(("path", "operation"), OPERATIONS, ids=[path for path, _ in OPERATIONS])
def test_every_endpoint_answers_as_the_schema_says(api_client, path, operation):
    """Walk every operation with the schema's own examples: each real body matches the documented response."""
    url, query = url_with_examples(path, operation)
    response = api_client.get(url, query)
    assert response.status_code == 200, (url, response.content)
    assert_matches_schema(response, path)
    # Every documented example of every query parameter is a working request.
    for parameter in operation.get("parameters", []):
        for example in parameter.get("examples", {}).values():
            if parameter["in"] == "query":
                response = api_client.get(url, {**query, parameter["name"]: example["value"]})
                assert response.status_code == 200, (url, parameter["name"], response.content)
                assert_matches_schema(response, path)


def test_every_documented_example_is_valid_against_its_schema():
    from openapi_schema_validator import OAS30Validator

    spec = openapi_schema()
    checked = 0
    for _path, operation in OPERATIONS:
        for response in operation["responses"].values():
            for content in response.get("content", {}).values():
                for example in content.get("examples", {}).values():
                    OAS30Validator({**content["schema"], "components": spec["components"]}).validate(example["value"])
                    checked += 1
    assert checked >= len(OPERATIONS) * 2
