"""/api/v1/topics/{slug}/stats/: a topic's clause counts by party, kind and year, and its companions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements.models import Clause, Topic

from .factories import PartyFactory, document_with_clauses
from .openapi import assert_error, assert_matches_schema

pytestmark = pytest.mark.django_db
PATH = "/api/v1/topics/{slug}/stats/"


def stats(api_client, slug):
    response = api_client.get(f"/api/v1/topics/{slug}/stats/")
    assert response.status_code == 200, response.content
    assert_matches_schema(response, PATH)
    return response.json()


def test_ukraine_crisis(api_client):
    body = stats(api_client, "ukraine-crisis")
    assert body["topic"]["slug"] == "ukraine-crisis" and body["topic"]["parent"] == "europe-and-eurasia"
    assert (body["clause_count"], body["document_count"]) == (3, 3)
    assert body["by_kind"] == [
        {"kind": "article", "label": "Article", "clause_count": 1},
        {"kind": "joint_statement", "label": "Joint statement", "clause_count": 1},
        {"kind": "readout", "label": "Readout", "clause_count": 1},
    ]
    assert body["by_year"] == [{"year": 2023, "clause_count": 3}]
    expected_parties = {
        code: Clause.objects.on_topics(["ukraine-crisis"]).filter(parties__code=code).count() for code in ("by", "cn")
    }
    assert {row["party"]["code"]: row["clause_count"] for row in body["by_party"]} == expected_parties


def test_a_parent_includes_its_children_and_companions_lie_outside_it(api_client):
    body = stats(api_client, "economy")
    clauses = Clause.objects.on_topics(["economy"])
    assert body["clause_count"] == clauses.count() == 9
    assert sum(row["clause_count"] for row in body["by_kind"]) == body["clause_count"]
    own = set(Topic.objects.with_descendants(["economy"]).values_list("slug", flat=True))
    companions = [row["topic"]["slug"] for row in body["co_occurring"]]
    assert companions and not own & set(companions)
    assert len(companions) <= 10
    counts = [row["clause_count"] for row in body["co_occurring"]]
    assert counts == sorted(counts, reverse=True)
    investment = next(row for row in body["co_occurring"] if row["topic"]["slug"] == "investment")
    assert investment["clause_count"] == clauses.filter(topics__slug="investment").count() == 6


def test_counts_by_year_and_party_with_more_documents(api_client):
    topic = Topic.objects.get(slug="taiwan")
    ru = PartyFactory(code="ru", short_name="Russia")
    document_with_clauses(2, topics=[topic], parties=[ru], slug="later-statement", date="2024-05-16")
    body = stats(api_client, "taiwan")
    assert body["by_year"] == [{"year": 2023, "clause_count": 2}, {"year": 2024, "clause_count": 2}]
    assert {"party": {"code": "ru", "short_name": "Russia"}, "clause_count": 2} in body["by_party"]


def test_constant_queries(api_client):
    counts = []
    for slug in ("ukraine-crisis", "economy"):
        with CaptureQueriesContext(connection) as queries:
            stats(api_client, slug)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 7  # the topic, five aggregates, the data version


def test_unknown_topic_is_a_404(api_client):
    assert_error(api_client.get("/api/v1/topics/ukraine/stats/"), 404, path=PATH)
