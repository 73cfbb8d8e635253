"""/api/v1/search/: ranked search with snippets, on SQLite (fallback) and PostgreSQL (full text)."""

import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from statements import search, search_ranking
from statements.api.cache import recent_values
from statements.api.v1.rows import vocabulary
from statements.models import Clause

from .factories import document_with_clauses
from .openapi import ARTICLE, CLAUSE_FIELDS, JOINT_STATEMENT, READOUT, assert_error, assert_matches_schema

pytestmark = pytest.mark.django_db
URL = "/api/v1/search/"
ON_POSTGRESQL = connection.vendor == "postgresql"


def results(response):
    assert response.status_code == 200, response.content
    assert_matches_schema(response, URL)
    return response.json()["results"]


def test_industrial_park_ranks_the_industrial_park_clauses_first(api_client):
    found = results(api_client.get(URL, {"q": "industrial park"}))
    # the clauses the seed's curators tagged with its topic china-belarus-industrial-park (retired in issue 17)
    seed = json.loads((Path(__file__).parent / "data" / "seed-topic-links.json").read_text(encoding="utf-8"))
    park = {f"{slug}/{eid}" for slug, eid, topic, _by in seed["links"] if topic == "china-belarus-industrial-park"}
    assert len(park) == 6
    assert {r["citation"] for r in found[: len(park)]} == park
    ranks = [r["rank"] for r in found]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > 0
    if ON_POSTGRESQL:  # ts_rank_cd counts the matches (bm25, SQLite's, also weighs a clause's length)
        assert found[0]["citation"] == f"{JOINT_STATEMENT}/para_18"  # says "Industrial Park" and "industrial parks"


def test_each_result_is_a_clause_with_rank_and_a_marked_snippet(api_client):
    result = results(api_client.get(URL, {"q": "industrial park"}))[0]
    assert set(result) == CLAUSE_FIELDS | {"rank", "snippet"}
    assert "<mark>Industrial</mark> <mark>Park</mark>" in result["snippet"]
    assert result["snippet"].replace("<mark>", "").replace("</mark>", "") in result["text"]


def test_every_word_must_occur(api_client):
    # para_15 of the Joint Statement is about industrial cooperation but no park.
    found = {r["citation"] for r in results(api_client.get(URL, {"q": "industrial park", "page_size": 100}))}
    assert f"{JOINT_STATEMENT}/para_15" not in found
    assert f"{JOINT_STATEMENT}/para_15" in {
        r["citation"] for r in results(api_client.get(URL, {"q": "industrial", "page_size": 100}))
    }


def test_search_is_case_insensitive(api_client):
    lower = [r["citation"] for r in results(api_client.get(URL, {"q": "ukraine crisis"}))]
    upper = [r["citation"] for r in results(api_client.get(URL, {"q": "UKRAINE Crisis"}))]
    assert lower == upper and f"{READOUT}/para_6" in lower


def test_search_takes_the_clause_filters(api_client):
    found = results(api_client.get(URL, {"q": "industrial park", "kind": "readout,article"}))
    assert {r["citation"] for r in found} == {f"{READOUT}/para_3", f"{READOUT}/para_5", f"{ARTICLE}/para_6"}
    assert results(api_client.get(URL, {"q": "industrial park", "topic": "ukraine-crisis"})) == []


@pytest.mark.skipif(not ON_POSTGRESQL, reason="stemming and websearch syntax are PostgreSQL full-text search")
def test_postgresql_stems_and_takes_websearch_syntax(api_client):
    stemmed = {r["citation"] for r in results(api_client.get(URL, {"q": "parks", "page_size": 100}))}
    assert f"{JOINT_STATEMENT}/para_18" in stemmed and f"{READOUT}/para_3" in stemmed
    phrase = {r["citation"] for r in results(api_client.get(URL, {"q": '"industrial park" -TCM', "page_size": 100}))}
    assert f"{JOINT_STATEMENT}/para_19" not in phrase and f"{JOINT_STATEMENT}/para_18" in phrase


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the tsvector column and its GIN index exist on PostgreSQL only")
def test_postgresql_has_a_stored_tsvector_with_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT is_generated FROM information_schema.columns "
            "WHERE table_name = 'statements_clause' AND column_name = 'search_vector'"
        )
        assert cursor.fetchone() == ("ALWAYS",)
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'clause_search_vector_idx'")
        # with each clause's topic and party ids (statements.models.link_ids): a filtered search is one index scan
        assert "USING gin (search_vector, topic_ids, party_ids)" in cursor.fetchone()[0]


def test_sqlite_fallback_highlight():
    text = "The two sides will jointly promote the China-Belarus Industrial Park and industrial parks."
    assert search.snippet(text, "industrial park") == (
        "The two sides will jointly promote the China-Belarus <mark>Industrial</mark> <mark>Park</mark> and "
        "<mark>industrial</mark> <mark>parks</mark>."
    )


@pytest.mark.parametrize("q", ["!!!", "zebra", "industrial zebra"])
def test_no_match_is_an_empty_page(api_client, q):
    response = api_client.get(URL, {"q": q})
    assert response.status_code == 200 and response.json()["count"] == 0 and results(response) == []


@pytest.mark.parametrize(("q", "message"), [(None, "q="), ("", "q="), ("   ", "not only spaces")])
def test_missing_or_blank_q_is_a_400_naming_q(api_client, q, message):
    params = {} if q is None else {"q": q}
    assert_error(api_client.get(URL, params), 400, "q", path=URL, message_contains=message)


def test_search_runs_constant_queries_whatever_the_page_size(api_client, django_assert_num_queries):
    document_with_clauses(150, slug="many-clauses")
    Clause.objects.filter(document__slug="many-clauses").update(text="Industrial park cooperation.")
    for page_size in (1, 100):
        cache.clear()  # uncached
        recent_values.clear()  # nor kept by this process
        vocabulary.cache_clear()
        search_ranking.one_term_lexemes.cache_clear()
        # data version, count, ranked ids (on SQLite one query ranks the results and counts them), the page's
        # clauses with their topics' and parties' ids, the vocabulary of topics and parties
        with django_assert_num_queries(5 if connection.vendor == "postgresql" else 4):
            response = api_client.get(URL, {"q": "industrial park", "page_size": page_size})
        assert len(response.json()["results"]) == page_size


def test_search_serves_the_best_matches_up_to_search_candidates(api_client, settings):
    """A query matching more than SEARCH_CANDIDATES clauses serves the best that many: the first of every match."""
    every_match = api_client.get("/api/v1/clauses/", {"q": "two sides"}).json()["count"]
    best = [r["citation"] for r in api_client.get(URL, {"q": "two sides", "page_size": 100}).json()["results"]]
    settings.SEARCH_CANDIDATES = 5
    cache.clear()
    first = api_client.get(URL, {"q": "two sides", "page_size": 100}).json()
    assert every_match > 5 and first["count"] == len(first["results"]) == 5
    assert [r["citation"] for r in first["results"]] == best[:5]
    assert_error(api_client.get(URL, {"q": "two sides", "page_size": 5, "page": 2}), 404, "page", path=URL)
    settings.SEARCH_CANDIDATES = 1000
    cache.clear()
    assert api_client.get(URL, {"q": "two sides", "page_size": 1}).json()["count"] == every_match
