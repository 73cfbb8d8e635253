"""The contract, per parameter: what the schema allows the API accepts, what it forbids the API refuses.

Issue 14, finding 10: schemathesis 4 with every check found requests the schema allows that the API refused (a
page beyond the last; an unknown topic, party or document of a valid shape; ``min_score`` above 1; control
characters in ``documents``) and a request it forbids that the API accepted (``date_before=`` empty). The
decisions (README "The read API", "Parameters"): a value of the right shape that names nothing, or a page past
the last, is a 404 naming the parameter (the request was well formed; what it asks for is not there); a value of
the wrong shape is a 400 naming it, and the schema says the shape (patterns, bounds). Lists stay comma-separated
strings with a pattern (not arrays), so Swagger UI keeps one text box per filter.
"""

import re

import pytest

from .openapi import assert_error, openapi_schema

pytestmark = pytest.mark.django_db
CLAUSES = "/api/v1/clauses/"
COMPARE = "/api/v1/compare/"
SIMILAR = "/api/v1/documents/china-belarus-joint-statement-2023-03-02/clauses/para_39/similar/"


def schema_parameter(path, name):
    operation = openapi_schema()["paths"][path]["get"]
    return next(parameter for parameter in operation["parameters"] if parameter["name"] == name)


def test_a_page_beyond_the_last_is_a_404_naming_page(api_client):
    assert_error(api_client.get(CLAUSES, {"page": 9999}), 404, parameter="page", path=CLAUSES,
                 message_contains="there are 4 page(s)")  # fmt: skip
    assert_error(api_client.get("/api/v1/search/", {"q": "park", "page": 50}), 404, parameter="page")


@pytest.mark.parametrize(
    ("parameter", "value", "message"),
    [
        ("topic", "no-such-topic", "Unknown topic 'no-such-topic'. See /api/v1/topics/"),
        ("party", "zz", "Unknown party 'zz'. See /api/v1/parties/"),
        ("document", "no-such-document", "Unknown document 'no-such-document'. See /api/v1/documents/"),
    ],
)
def test_an_unknown_value_of_a_valid_shape_is_a_404_that_names_it(api_client, parameter, value, message):
    assert_error(api_client.get(CLAUSES, {parameter: value}), 404, parameter=parameter, message_contains=message)
    assert_error(api_client.get("/api/v1/search/", {"q": "park", parameter: value}), 404, parameter=parameter)


@pytest.mark.parametrize("parameter", ["topic", "party", "document"])
def test_a_value_of_the_wrong_shape_is_a_400_and_the_schema_says_the_shape(api_client, parameter):
    pattern = re.compile(schema_parameter(CLAUSES, parameter)["schema"]["pattern"])
    assert pattern.search("taiwan, ukraine-crisis") and not pattern.search("not a slug!")
    assert not pattern.search("a,,b") and not pattern.search("")
    assert_error(api_client.get(CLAUSES, {parameter: "not a slug!"}), 400, parameter=parameter)
    assert_error(api_client.get(CLAUSES, {parameter: "a\x01b"}), 400, parameter=parameter)


def test_kind_is_one_of_the_kinds_in_the_schema(api_client):
    pattern = re.compile(schema_parameter(CLAUSES, "kind")["schema"]["pattern"])
    assert pattern.search("readout,joint_statement") and pattern.search("press_release")
    assert not pattern.search("memo") and not pattern.search("readout,memo")
    assert_error(api_client.get(CLAUSES, {"kind": "memo"}), 400, parameter="kind")


@pytest.mark.parametrize("parameter", ["date_before", "date_after", "updated_since", "topic", "ordering"])
def test_an_empty_parameter_is_a_400_naming_it(api_client, parameter):
    assert_error(api_client.get(f"{CLAUSES}?{parameter}="), 400, parameter=parameter)


def test_the_similarity_bounds_are_in_the_schema(api_client):
    assert schema_parameter("/api/v1/documents/{slug}/clauses/{eid}/similar/", "min_score")["schema"] == {
        "type": "number", "format": "double", "minimum": 0, "maximum": 1, "default": 0.3}  # fmt: skip
    limit = schema_parameter("/api/v1/documents/{slug}/clauses/{eid}/similar/", "limit")["schema"]
    assert (limit["minimum"], limit["maximum"]) == (1, 50)
    assert_error(api_client.get(SIMILAR, {"min_score": "1.5"}), 400, parameter="min_score")


def test_compare_takes_two_to_ten_slugs_and_says_so(api_client):
    pattern = re.compile(schema_parameter(COMPARE, "documents")["schema"]["pattern"])
    assert [bool(pattern.search(",".join(["a"] * n))) for n in (1, 2, 10, 11)] == [False, True, True, False]
    assert_error(api_client.get(COMPARE, {"documents": "a\x01b,c"}), 400, parameter="documents")
    assert_error(api_client.get(COMPARE, {"documents": "no-such-a,no-such-b"}), 404, parameter="documents",
                 message_contains="Unknown document 'no-such-a'")  # fmt: skip
