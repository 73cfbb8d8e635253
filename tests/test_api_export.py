"""/api/v1/clauses/export/: every matching clause, streamed as JSON Lines or CSV."""

import csv
import io
import json

import pytest

from statements.api.v1.export import CSV_COLUMNS, csv_row
from statements.models import Clause, Topic

from .factories import document_with_clauses
from .openapi import JOINT_STATEMENT

pytestmark = pytest.mark.django_db
URL = "/api/v1/clauses/export/"
TRICKY = 'He said "yes, at once", then:\n- a list item, with a comma\r\n- and a "quoted" one'


def body(response):
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode()


def listed(api_client, params):
    """The same clauses from the paginated list, all pages."""
    results, page = [], 1
    while True:
        data = api_client.get("/api/v1/clauses/", {**params, "page_size": 100, "page": page}).json()
        results += data["results"]
        if not data["next"]:
            return results
        page += 1


@pytest.fixture
def tricky_document():
    document = document_with_clauses(3, topics=list(Topic.objects.filter(slug="taiwan")), slug="tricky")
    Clause.objects.filter(document=document, position=2).update(text=TRICKY)
    return document


def test_jsonl_is_every_clause_exactly_as_the_list_renders_it(api_client):
    response = api_client.get(URL, {"format": "jsonl"})
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    lines = body(response).splitlines()
    assert len(lines) == Clause.objects.count() == 61
    assert [json.loads(line) for line in lines] == listed(api_client, {})


def test_jsonl_is_the_default_and_filters_apply(api_client, tricky_document):
    params = {"topic": "taiwan", "kind": "joint_statement"}
    exported = [json.loads(line) for line in body(api_client.get(URL, params)).splitlines()]
    assert exported == listed(api_client, params)
    assert TRICKY in [clause["text"] for clause in exported]
    assert {clause["document"]["slug"] for clause in exported} == {JOINT_STATEMENT, "tricky"}


def test_csv_survives_newlines_quotes_and_commas(api_client, tricky_document):
    response = api_client.get(URL, {"format": "csv", "document": "tricky"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="clauses.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(response), newline="")))
    assert [row["citation"] for row in rows] == ["tricky/para_1", "tricky/para_2", "tricky/para_3"]
    assert rows[1]["text"] == TRICKY
    assert rows[1]["topics"] == "taiwan" and rows[1]["document"] == "tricky" and rows[1]["position"] == "2"
    assert rows[1]["url"] == "http://testserver/api/v1/documents/tricky/clauses/para_2/"


def test_csv_of_the_whole_corpus_matches_the_list(api_client):
    rows = list(csv.DictReader(io.StringIO(body(api_client.get(URL, {"format": "csv"})), newline="")))
    expected = listed(api_client, {})
    assert [row["citation"] for row in rows] == [clause["citation"] for clause in expected]
    assert [row["text"] for row in rows] == [clause["text"] for clause in expected]
    assert [row["parties"] for row in rows] == [";".join(p["code"] for p in c["parties"]) for c in expected]


def test_bad_format_or_filter_is_a_4xx_naming_it(api_client):
    cases = (({"format": "xml"}, "format", 400), ({"format": "csv", "topic": "nope"}, "topic", 404))
    for params, parameter, status in cases:
        response = api_client.get(URL, params)
        assert response.status_code == status and response["Content-Type"] == "application/json"
        assert [error["parameter"] for error in response.json()["errors"]] == [parameter]


def test_the_path_without_a_slash_redirects_keeping_the_query(api_client):
    response = api_client.get("/api/v1/clauses/export", {"format": "csv", "topic": "taiwan"})
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/clauses/export/?format=csv&topic=taiwan"


@pytest.mark.parametrize("ordering", ["", "-date", "-position", "updated_at"])
def test_every_ordering_in_small_chunks(api_client, monkeypatch, tricky_document, ordering):
    monkeypatch.setattr("statements.api.v1.export.EXPORT_CHUNK", 4)  # chunks end inside and between documents
    params = {"ordering": ordering} if ordering else {}
    exported = [json.loads(line) for line in body(api_client.get(URL, params)).splitlines()]
    assert [c["citation"] for c in exported] == [c["citation"] for c in listed(api_client, params)]
    assert len(exported) == Clause.objects.count()


AWKWARD = ["", " ", "plain", "a,b", 'say "x"', '"', '""', "line\nbreak", "cr\ronly", "crlf\r\n", ",", "\t tab", "é — ü"]
AWKWARD += [None, 0, 42]


@pytest.mark.parametrize("value", AWKWARD, ids=repr)
def test_csv_rows_are_what_the_csv_module_writes(value):
    for values in ([value, value], ["x", value, "y"], [value, TRICKY, "z"]):
        expected = io.StringIO()
        csv.writer(expected, lineterminator="\r\n").writerow(values)
        assert csv_row(values) == expected.getvalue()


def test_csv_export_is_byte_for_byte_what_the_csv_module_writes(api_client, tricky_document):
    exported = body(api_client.get(URL, {"format": "csv"}))
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in listed(api_client, {}):
        writer.writerow(
            [c["citation"], c["url"], c["document"]["slug"], c["document"]["title"], c["document"]["date"],
             c["document"]["kind"], c["section"]["eid"], c["section"]["heading"], c["position"], c["eid"], c["label"],
             c["text"], ";".join(t["slug"] for t in c["topics"]), ";".join(p["code"] for p in c["parties"]),
             c["updated_at"]]
        )  # fmt: skip
    assert exported == expected.getvalue()
