"""/api/v1/compare/: documents lined up topic by topic, on the real corpus."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements.models import Clause

from .openapi import ARTICLE, JOINT_STATEMENT, READOUT, assert_error, assert_matches_schema

pytestmark = pytest.mark.django_db
URL = "/api/v1/compare/"


def compare(api_client, *slugs):
    response = api_client.get(URL, {"documents": ",".join(slugs)})
    assert response.status_code == 200, response.content
    assert_matches_schema(response, URL)
    return response.json()


def row(body, topic):
    return next(r for r in body["topics"] if r["topic"]["slug"] == topic)


def eids(cell):
    return [clause["eid"] for clause in cell["clauses"]]


def test_readout_and_joint_statement_side_by_side(api_client):
    body = compare(api_client, READOUT, JOINT_STATEMENT)
    assert [d["slug"] for d in body["documents"]] == [READOUT, JOINT_STATEMENT]
    side_by_side = {
        "ukraine-crisis": (["para_6"], ["para_39"]),
        "infrastructure-and-connectivity": (["para_3", "para_5"], ["para_11", "para_29", "para_32"]),
        "investment": (["para_3", "para_5"], ["para_18", "para_19", "para_20"]),
    }
    for topic, (readout, joint_statement) in side_by_side.items():
        cells = row(body, topic)["documents"]
        assert [cell["document"] for cell in cells] == [READOUT, JOINT_STATEMENT]
        assert (eids(cells[0]), eids(cells[1])) == (readout, joint_statement), topic
    ukraine = row(body, "ukraine-crisis")["documents"][1]["clauses"][0]
    para_39 = Clause.objects.get(document__slug=JOINT_STATEMENT, eid="para_39")
    assert ukraine == {
        "citation": f"{JOINT_STATEMENT}/para_39",
        "eid": "para_39",
        "label": "",
        "url": f"http://testserver/api/v1/documents/{JOINT_STATEMENT}/clauses/para_39/",
        "html_url": f"http://testserver/documents/{JOINT_STATEMENT}/#para_39",
        "text": para_39.text,
    }


def test_what_only_the_joint_statement_covers(api_client):
    body = compare(api_client, READOUT, JOINT_STATEMENT)
    left_out = {entry["document"]: [t["slug"] for t in entry["topics"]] for entry in body["left_out"]}
    assert left_out == {
        # the seed's topics as migration 0013 carried them (fixtures/vocabulary/seed-topic-mapping.yaml), in tree order
        READOUT: [
            "regional-organisations",
            "rules-based-order",
            "finance-and-debt",
            "finance",
            "economic-security",
            "sanctions",
            "climate-and-environment",
            "humanitarian",
            "disaster-response",
            "education",
            "educational-exchanges",
            "digital-economy",
            "defence-cooperation",
            "transnational-crime",
            "law-enforcement-cooperation",
        ],
        JOINT_STATEMENT: [],
    }
    for topic in left_out[READOUT]:
        readout, joint_statement = row(body, topic)["documents"]
        assert readout["clauses"] == [] and joint_statement["clauses"], topic


def test_rows_follow_the_tree_and_a_parent_row_gathers_its_children(api_client):
    body = compare(api_client, READOUT, JOINT_STATEMENT)
    slugs = [r["topic"]["slug"] for r in body["topics"]]
    assert slugs.index("climate-and-environment") < slugs.index("europe-and-eurasia") < slugs.index("ukraine-crisis")
    parent = row(body, "europe-and-eurasia")
    assert parent["includes_children"] is True and parent["topic"]["parent"] is None
    assert "para_39" in eids(parent["documents"][1]) and "para_6" in eids(parent["documents"][0])
    child = row(body, "ukraine-crisis")
    assert child["includes_children"] is False and child["topic"]["parent"] == "europe-and-eurasia"
    # Only topics some document covers are rows.
    assert all(any(cell["clauses"] for cell in r["documents"]) for r in body["topics"])


def test_order_asked_is_kept_and_three_documents_compare(api_client):
    body = compare(api_client, JOINT_STATEMENT, ARTICLE, READOUT)
    assert [d["slug"] for d in body["documents"]] == [JOINT_STATEMENT, ARTICLE, READOUT]
    assert [cell["document"] for cell in row(body, "ukraine-crisis")["documents"]] == [
        JOINT_STATEMENT,
        ARTICLE,
        READOUT,
    ]
    assert [eids(cell) for cell in row(body, "ukraine-crisis")["documents"]] == [["para_39"], ["para_4"], ["para_6"]]


def test_repeated_parameters_work_like_commas(api_client):
    response = api_client.get(f"{URL}?documents={READOUT}&documents={JOINT_STATEMENT}")
    assert response.status_code == 200
    assert response.json() == compare(api_client, READOUT, JOINT_STATEMENT)


def test_constant_queries_whatever_the_number_of_documents(api_client):
    counts = []
    for slugs in [(READOUT, JOINT_STATEMENT), (ARTICLE, READOUT, JOINT_STATEMENT)]:
        with CaptureQueriesContext(connection) as queries:
            compare(api_client, *slugs)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 5  # documents, clauses, their topics, the vocabulary; the data version


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Give the documents to compare"),
        ({"documents": ""}, "is not a document slug"),
        ({"documents": READOUT}, "at least two"),
        ({"documents": f"{READOUT},,{JOINT_STATEMENT}"}, "is not a document slug"),
        ({"documents": ",".join(f"d{i}" for i in range(11))}, "at most 10"),
    ],
)
def test_bad_documents_are_a_400_naming_the_parameter(api_client, query, message):
    assert_error(api_client.get(URL, query), 400, "documents", URL, message)


def test_an_unknown_document_is_a_404_naming_the_parameter(api_client):
    query = {"documents": f"{READOUT},no-such-document"}
    assert_error(api_client.get(URL, query), 404, "documents", URL, "Unknown document 'no-such-document'")


def test_a_document_given_twice_is_compared_once(api_client):
    response = api_client.get(URL, {"documents": f"{READOUT},{READOUT}"})
    assert response.status_code == 200
    assert [document["slug"] for document in response.json()["documents"]] == [READOUT]
