"""Search ranks every match: a page is what ranking all of them gives (statements.search_ranking), never the best of
the first ones found. On both databases; on PostgreSQL through each of its ways (tiers, reading order, every match).

Any text typed as ``q`` is answered: results, or a 400 naming ``q``.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statements import search
from statements.models import Clause
from statements.selection import ClauseSelection

from .factories import PartyFactory, TopicFactory, document_with_clauses

pytestmark = pytest.mark.django_db
URL = "/api/v1/search/"
ON_POSTGRESQL = connection.vendor == "postgresql"
ONCE = "The zanzibarite cooperation goes on with the next round of talks in Hohhot."
# Clauses the ranking puts first, added after many that hold the words once: the first matches in storage order
# (what search ranked before issue 18) hold none of them.
REPEATED = {
    3: "Zanzibarite, zanzibarite and zanzibarite: the next round of talks, then the next round of talks.",
    9: " ".join(["zanzibarite trade"] * 9) + ".",
    17: " ".join(["zanzibarite"] * 17)
    + " and the next round of talks, the next round of talks, the next round of talks.",
}


@pytest.fixture
def corpus():
    """60 clauses holding the words once, in two documents (the later one dated earlier), then a few holding them
    many times; half of them on a topic and spoken by a party."""
    topic, party = TopicFactory(slug="zanzibar-affairs"), PartyFactory(code="zz")
    first = document_with_clauses(30, slug="a-first-document", date=datetime.date(2024, 1, 1))
    tagged = document_with_clauses(30, slug="b-tagged", date=datetime.date(2020, 1, 1), topics=[topic], parties=[party])
    Clause.objects.filter(document__in=[first, tagged]).update(text=ONCE)
    later = document_with_clauses(len(REPEATED) * 2, slug="c-later", date=datetime.date(2022, 1, 1))
    clauses = list(Clause.objects.filter(document=later).order_by("position"))
    for clause, text in zip(clauses, [*REPEATED.values(), *REPEATED.values()], strict=True):
        Clause.objects.filter(pk=clause.pk).update(text=text)
    for clause in clauses[len(REPEATED) :]:
        clause.topics.add(topic)
        clause.parties.add(party)
    if ON_POSTGRESQL:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE statements_clause")
    return topic, party


def exhaustive(q, selection, n):
    """The first ``n`` of every match ranked one by one (search.ranked): (citation, rank)."""
    ranked = search.ranked(selection.queryset(Clause.objects.all()), q).select_related("document")[:n]
    return [(f"{clause.document.slug}/{clause.eid}", clause.rank) for clause in ranked]


def served(api_client, params):
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.content
    body = response.json()
    return body["count"], [(r["citation"], r["rank"]) for r in body["results"]]


QUERIES = ["zanzibarite", '"next round of talks"', "zanzibarite talks", "zanzibarite -trade", "trade or Hohhot"]


@pytest.mark.parametrize("candidates", [1000, 20])
@pytest.mark.parametrize("filtered", ["", "topic", "party"])
@pytest.mark.parametrize("q", QUERIES)
def test_every_page_is_the_ranking_of_every_match(api_client, corpus, settings, q, filtered, candidates):
    settings.SEARCH_CANDIDATES = candidates
    topic, party = corpus
    selection = {"": ClauseSelection(), "topic": ClauseSelection(topics=(topic.slug,)),
                 "party": ClauseSelection(parties=(party.code,))}[filtered]  # fmt: skip
    params = {"q": q, **({"topic": topic.slug} if filtered == "topic" else {}),
              **({"party": party.code} if filtered == "party" else {})}  # fmt: skip
    expected = exhaustive(q, selection, candidates)
    assert expected, "the corpus has matches"
    count, first_page = served(api_client, {**params, "page_size": 10})
    assert count == len(expected)
    assert [citation for citation, _ in first_page] == [citation for citation, _ in expected[:10]]
    assert [rank for _, rank in first_page] == pytest.approx([rank for _, rank in expected[:10]])
    pages = [served(api_client, {**params, "page_size": 4, "page": page})[1] for page in range(1, (count + 3) // 4 + 1)]
    assert [citation for page in pages for citation, _ in page] == [citation for citation, _ in expected]


def test_the_best_match_is_not_among_the_first_found(api_client, corpus, settings):
    """The corpus is one where ranking the first matches in storage order (before issue 18) gives another top."""
    settings.SEARCH_CANDIDATES = 20
    first_found = set(Clause.objects.filter(text=ONCE).order_by("pk").values_list("pk", flat=True)[:20])
    best = search.ranked(Clause.objects.all(), "zanzibarite").first()
    assert best.pk not in first_found
    _, results = served(api_client, {"q": "zanzibarite", "page_size": 1})
    assert results[0][0] == f"c-later/{best.eid}"


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the tiers and the reading-order walk are PostgreSQL's")
@pytest.mark.parametrize(
    ("q", "candidates", "way"),
    [
        ("zanzibarite", 20, "statements_search_tiers"),  # held 17 and 9 times: the tiers settle the top
        ('"next round of talks"', 20, "CROSS JOIN LATERAL"),  # one phrase, many matches: the reading-order walk
        ("zanzibarite talks", 20, "websearch_to_tsquery"),  # two terms: every match
    ],
)
def test_postgresql_ranks_each_way_it_can(api_client, corpus, settings, q, candidates, way):
    settings.SEARCH_CANDIDATES = candidates
    with CaptureQueriesContext(connection) as queries:
        served(api_client, {"q": q, "page_size": 5})
    assert any(way in query["sql"] for query in queries)
    results, expected = served(api_client, {"q": q, "page_size": 5})[1], exhaustive(q, ClauseSelection(), 5)
    assert [citation for citation, _ in results] == [citation for citation, _ in expected]
    assert [rank for _, rank in results] == pytest.approx([rank for _, rank in expected])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_query_is_answered_or_refused_naming_q(api_client, q):
    response = api_client.get(URL, {"q": q})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert {error["parameter"] for error in response.json()["errors"]} == {"q"}


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite keeps a search's ranking per data version (statements.search_fts5)")
def test_sqlite_ranks_once_per_data_version(api_client, corpus, settings):
    """Every page and the count come from one ranking per data version; a write makes a new one, which sees it."""
    settings.SEARCH_CANDIDATES = 20

    def ranking_queries(params):
        with CaptureQueriesContext(connection) as queries:
            served(api_client, params)
        return [query["sql"] for query in queries if "bm25" in query["sql"]]

    assert len(ranking_queries({"q": "zanzibarite", "page_size": 4})) == 1
    assert ranking_queries({"q": "zanzibarite", "page_size": 4, "page": 2}) == []
    assert len(ranking_queries({"q": "zanzibarite", "page_size": 4, "topic": corpus[0].slug})) == 1  # another search
    best = Clause.objects.get(text=REPEATED[17], document__slug="c-later", position=3)
    Clause.objects.filter(pk=best.pk).update(text="Nothing to find here.")
    assert len(ranking_queries({"q": "zanzibarite", "page_size": 4})) == 1
    _, results = served(api_client, {"q": "zanzibarite", "page_size": 20})
    assert f"c-later/{best.eid}" not in [citation for citation, _ in results]
    assert results == exhaustive("zanzibarite", ClauseSelection(), 20)
