"""/api/v1/documents/{slug}/clauses/{eid}/similar/: text reuse across documents, on the real corpus.

These run on SQLite (word shingles) and on PostgreSQL (the pg_trgm index): CI runs the suite on both.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements import similarity
from statements.models import Clause

from .openapi import ARTICLE, JOINT_STATEMENT, READOUT, assert_error, assert_matches_schema

pytestmark = pytest.mark.django_db
PATH = "/api/v1/documents/{slug}/clauses/{eid}/similar/"
ON_POSTGRESQL = connection.vendor == "postgresql"
WORDS = re.compile(r"\w+")


def similar(api_client, slug, eid, **query):
    response = api_client.get(f"/api/v1/documents/{slug}/clauses/{eid}/similar/", query)
    assert response.status_code == 200, response.content
    assert_matches_schema(response, PATH)
    return response.json()


@pytest.mark.parametrize(
    ("article_eid", "readout_eid", "words"),
    [
        ("para_2", "para_3", "unbreakable"),  # "the China-Belarus friendship is unbreakable"
        ("para_3", "para_5", "Congratulating"),  # the congratulations paragraph
        ("para_4", "para_6", "Ukraine"),  # the Ukraine paragraph
    ],
)
def test_each_copied_paragraph_of_the_article_finds_its_twin_first(api_client, article_eid, readout_eid, words):
    body = similar(api_client, ARTICLE, article_eid)
    assert body["clause"]["citation"] == f"{ARTICLE}/{article_eid}"
    best = body["results"][0]
    assert best["clause"]["citation"] == f"{READOUT}/{readout_eid}"
    assert best["score"] >= 0.85
    assert words in best["marked_text"]
    # The twin finds the article paragraph back, first.
    assert similar(api_client, READOUT, readout_eid)["results"][0]["clause"]["citation"] == f"{ARTICLE}/{article_eid}"


def test_passages_are_marked_at_their_offsets_in_both_texts(api_client):
    body = similar(api_client, ARTICLE, "para_4")
    source = Clause.objects.get(document__slug=ARTICLE, eid="para_4").text
    best = body["results"][0]
    twin = Clause.objects.get(document__slug=READOUT, eid="para_6").text
    assert best["clause"]["text"] == twin
    # Punctuation aside, the texts differ only in their last words ("its resolution" / "resolving the crisis").
    [passage] = best["passages"]
    assert twin[passage["end"] :] == " resolving the crisis."
    for passage in best["passages"]:
        assert twin[passage["start"] : passage["end"]] == passage["text"]
        in_source = source[passage["source_start"] : passage["source_end"]]
        assert WORDS.findall(in_source.lower()) == WORDS.findall(passage["text"].lower())
        assert len(WORDS.findall(passage["text"])) == passage["words"] >= similarity.MIN_RUN_WORDS
    assert best["shared_words"] == sum(p["words"] for p in best["passages"])
    assert best["marked_text"].replace("<mark>", "").replace("</mark>", "") == twin
    assert best["source_marked_text"].replace("<mark>", "").replace("</mark>", "") == source
    assert best["marked_text"].count("<mark>") == len(best["passages"])


def test_only_other_documents_best_first_above_the_minimum(api_client):
    body = similar(api_client, READOUT, "para_3", min_score="0")
    assert body["min_score"] == 0 and body["limit"] == similarity.DEFAULT_LIMIT
    documents = {r["clause"]["document"]["slug"] for r in body["results"]}
    assert READOUT not in documents
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    default = similar(api_client, READOUT, "para_3")
    assert default["min_score"] == similarity.DEFAULT_MIN_SCORE
    assert all(r["score"] >= similarity.DEFAULT_MIN_SCORE for r in default["results"])


def test_min_score_and_limit_cut_the_results(api_client):
    assert similar(api_client, ARTICLE, "para_3", min_score="1")["results"][0]["score"] == 1.0
    assert [r["score"] for r in similar(api_client, ARTICLE, "para_2", min_score="0.9")["results"]] == []
    assert len(similar(api_client, READOUT, "para_3", min_score="0", limit="1")["results"]) == 1


def test_a_clause_nobody_copied_has_no_close_match(api_client):
    body = similar(api_client, JOINT_STATEMENT, "para_33")  # green and low-carbon development: said once
    assert body["results"] == []


def test_constant_queries_whatever_the_limit(api_client):
    counts = []
    for limit in ("1", "10"):
        with CaptureQueriesContext(connection) as queries:
            similar(api_client, READOUT, "para_3", min_score="0", limit=limit)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 9


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("min_score", "high"),
        ("min_score", "1.5"),
        ("min_score", "-0.1"),
        ("min_score", "nan"),
        ("limit", "0"),
        ("limit", "51"),
        ("limit", "ten"),
        ("limit", "2.5"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(api_client, parameter, value):
    url = f"/api/v1/documents/{ARTICLE}/clauses/para_2/similar/"
    assert_error(api_client.get(url, {parameter: value}), 400, parameter, PATH, "from")


def test_unknown_clause_or_document_is_a_404(api_client):
    assert_error(api_client.get(f"/api/v1/documents/{ARTICLE}/clauses/para_99/similar/"), 404, path=PATH)
    assert_error(api_client.get("/api/v1/documents/nope/clauses/para_1/similar/"), 404, path=PATH)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the shingle index exists on PostgreSQL only")
def test_postgresql_keeps_the_shingle_index_in_step_with_the_text():
    def shingles(clause):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), count(*) FILTER (WHERE document_id = %s) FROM statements_clauseshingle "
                "WHERE clause_id = %s",
                [clause.document_id, clause.pk],
            )
            return cursor.fetchone()

    clause = Clause.objects.get(document__slug=ARTICLE, eid="para_4")
    total, in_document = shingles(clause)
    assert total == in_document > 20  # about a quarter of its 150 shingles
    clause.text = "A short new text, too short to share anything."
    clause.save()
    assert 0 < shingles(clause)[0] < 5
    clause.delete()
    assert shingles(clause)[0] == 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM statements_clauseshingle s LEFT JOIN statements_clause c ON c.id = s.clause_id "
            "WHERE c.id IS NULL OR c.document_id <> s.document_id"
        )
        assert cursor.fetchone() == (0,)


def test_a_new_copy_is_found_at_once(api_client):
    """The index follows writes: a clause quoting the Joint Statement's paragraph 39 is its best match."""
    from .factories import document_with_clauses

    para_39 = Clause.objects.get(document__slug=JOINT_STATEMENT, eid="para_39")
    document = document_with_clauses(1, slug="a-new-statement")
    quoting = document.clauses.get()
    quoting.text = f"As the Joint Statement put it: {para_39.text}"
    quoting.save()
    best = similar(api_client, JOINT_STATEMENT, "para_39")["results"][0]
    assert best["clause"]["citation"] == "a-new-statement/para_1" and best["score"] == 1.0
