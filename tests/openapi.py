"""Checking real response bodies against the OpenAPI schema the project serves."""

import functools

from drf_spectacular.generators import SchemaGenerator
from openapi_schema_validator import OAS30Validator

ARTICLE = "lukashenko-state-visit-to-china-2023"
READOUT = "mfa-readout-xi-lukashenko-talks-2023-03-01"
JOINT_STATEMENT = "china-belarus-joint-statement-2023-03-02"
CLAUSE_FIELDS = {
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
}


@functools.cache
def openapi_schema():
    """The v1 schema, as /api/v1/schema/ serves it (generated once per test session)."""
    return SchemaGenerator(api_version="v1").get_schema(request=None, public=True)


def response_schema(path, status, method="get"):
    """The JSON schema of one documented response, with the components it refers to."""
    spec = openapi_schema()
    operation = spec["paths"][path][method]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    return {**schema, "components": spec["components"]}


def assert_matches_schema(response, path, method="get"):
    """The response's body is valid against what the schema documents for its status code on ``path``.

    A body that is not JSON (an export, the Akoma Ntoso XML) must have a media type documented for that status,
    and be UTF-8 text; the XML is checked against akomantoso30.xsd in its own test.
    """
    media_type = response["Content-Type"].split(";")[0]
    if media_type != "application/json":
        documented = openapi_schema()["paths"][path][method]["responses"][str(response.status_code)]["content"]
        assert media_type in documented, (media_type, list(documented))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        body.decode("utf-8")
        return
    OAS30Validator(response_schema(path, response.status_code, method)).validate(response.json())


def assert_error(response, status, parameter=None, path=None, message_contains=""):
    """An error envelope with this status, naming ``parameter`` (and valid against the schema when ``path``)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"]
    if parameter is not None:
        messages = [error["message"] for error in body["errors"] if error["parameter"] == parameter]
        assert messages, body
        assert any(message_contains in message for message in messages), body
    OAS30Validator({"$ref": "#/components/schemas/Error", "components": openapi_schema()["components"]}).validate(body)
    if path is not None:
        assert_matches_schema(response, path)
    return body
