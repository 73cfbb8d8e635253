"""Every error the API gives: one JSON envelope, naming the parameter, valid against the schema. Never a 500."""

import pytest

from .openapi import JOINT_STATEMENT, assert_error

pytestmark = pytest.mark.django_db
CLAUSES = "/api/v1/clauses/"


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"kind": "memo"}, "kind", "Unknown kind 'memo'. Kinds: article, readout, joint_statement"),
        ({"date_after": "2023-13-01"}, "date_after", "YYYY-MM-DD"),
        ({"date_before": "1 March 2023"}, "date_before", "YYYY-MM-DD"),
        ({"date_before": "03/01/2023"}, "date_before", "YYYY-MM-DD"),
        ({"updated_since": "yesterday"}, "updated_since", "'yesterday' is not an ISO 8601 date or date-time"),
        ({"updated_since": "2023-03-01T12:00:00 01:00"}, "updated_since", "%2B"),
        ({"ordering": "title"}, "ordering", "Unknown ordering 'title'"),
        ({"page": "0"}, "page", "'0' is not a page number"),
        ({"page": "last"}, "page", "'last' is not a page number"),
        ({"page_size": "101"}, "page_size", "from 1 to 100"),
        ({"page_size": "0"}, "page_size", "from 1 to 100"),
        ({"page_size": "ten"}, "page_size", "'ten' is not a page size"),
        ({"topic": "a\x00b"}, "topic", ""),
        ({"q": "park\x00"}, "q", ""),
    ],
)
def test_bad_clause_parameters_are_a_400_naming_the_parameter(api_client, params, parameter, message):
    body = assert_error(api_client.get(CLAUSES, params), 400, parameter, path=CLAUSES, message_contains=message)
    assert body["code"] == "invalid_parameters"


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"topic": "ukraine"}, "topic", "Unknown topic 'ukraine'"),
        ({"topic": "ukraine-crisis,nope"}, "topic", "Unknown topic 'nope'"),
        ({"topic": ["taiwan", "nope"]}, "topic", "Unknown topic 'nope'"),
        ({"party": "zz"}, "party", "Unknown party 'zz'"),
        ({"document": "no-such-document"}, "document", "Unknown document 'no-such-document'"),
        ({"page": "99"}, "page", "Page 99 is out of range: there are 4 page(s)."),
    ],
)
def test_well_formed_values_that_name_nothing_are_a_404_naming_the_parameter(api_client, params, parameter, message):
    body = assert_error(api_client.get(CLAUSES, params), 404, parameter, path=CLAUSES, message_contains=message)
    assert body["code"] == "not_found"


def test_several_bad_parameters_are_all_named(api_client):
    body = assert_error(api_client.get(CLAUSES, {"topic": "nope", "party": "xx", "date_after": "soon"}), 400)
    assert {e["parameter"] for e in body["errors"]} == {"topic", "party", "date_after"}


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        ("/api/v1/search/", {"q": "park", "topic": "not a slug"}, "topic"),
        ("/api/v1/search/", {"q": "park", "page_size": "500"}, "page_size"),
        ("/api/v1/search/", {"q": "park", "page": "0"}, "page"),
        ("/api/v1/documents/", {"page": "first"}, "page"),
        (f"/api/v1/documents/{JOINT_STATEMENT}/clauses/", {"page_size": "1000"}, "page_size"),
    ],
)
def test_other_lists_name_bad_parameters_too(api_client, url, params, parameter):
    assert_error(api_client.get(url, params), 400, parameter, path=url.replace(JOINT_STATEMENT, "{slug}"))


@pytest.mark.parametrize(
    "url",
    ["/api/v2/", "/api/v2/clauses/", "/api/v1/no-such-resource/", "/api/nothing", "/api/v1/clauses/?format=xml"],
)
def test_unknown_versions_and_paths_are_a_json_404(api_client, url):
    body = assert_error(api_client.get(url), 404)
    assert body["code"] == "not_found" and body["errors"] == []


@pytest.mark.parametrize("method", ["post", "delete"])
def test_writes_to_unknown_paths_are_a_json_404_too(method):
    from rest_framework.test import APIClient

    response = getattr(APIClient(enforce_csrf_checks=True), method)("/api/v2/clauses/", {}, format="json")
    assert assert_error(response, 404)["code"] == "not_found"


def test_a_missing_slash_still_redirects(api_client):
    response = api_client.get("/api/v1/clauses?topic=taiwan")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/clauses/?topic=taiwan"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", [CLAUSES, f"/api/v1/documents/{JOINT_STATEMENT}/", "/api/v1/search/", "/api/v1/"])
def test_write_methods_are_a_405(api_client, method, url):
    body = assert_error(getattr(api_client, method)(url, {}, format="json"), 405)
    assert body["code"] == "method_not_allowed"


def test_anything_but_json_is_a_406(api_client):
    body = assert_error(api_client.get(CLAUSES, HTTP_ACCEPT="application/xml"), 406)
    assert body["code"] == "not_acceptable"
