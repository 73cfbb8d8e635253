"""A retired topic's slug keeps working where it was published (migration 0013, TopicAlias): the API's topic URL
and statistics answer 301 with the new home, ``?topic=<retired slug>`` selects the clauses of its new homes, and
the admin shows a topic's former slugs."""

import pytest
from django.urls import reverse

from statements.models import Clause, Topic, TopicAlias
from tests.openapi import assert_matches_schema

pytestmark = pytest.mark.django_db


def test_a_retired_slug_redirects_to_its_new_home(api_client):
    response = api_client.get("/api/v1/topics/strategic-partnership/?format=json")
    assert response.status_code == 301
    assert response["Location"] == "http://testserver/api/v1/topics/partnership/?format=json"
    assert api_client.get(response["Location"]).json()["slug"] == "partnership"


def test_a_split_topic_redirects_to_its_main_home(api_client):
    response = api_client.get("/api/v1/topics/unilateral-sanctions/stats/")
    assert response.status_code == 301
    assert response["Location"] == "http://testserver/api/v1/topics/sanctions/stats/"


def test_an_unknown_slug_is_still_a_404(api_client):
    response = api_client.get("/api/v1/topics/no-such-topic/")
    assert response.status_code == 404
    assert response.json()["detail"] == "No topic 'no-such-topic'."


def test_the_filter_reads_a_retired_slug_as_its_new_homes(api_client):
    old = api_client.get("/api/v1/clauses/", {"topic": "unilateral-sanctions", "page_size": 100})
    assert old.status_code == 200
    assert_matches_schema(old, "/api/v1/clauses/")
    homes = Clause.objects.on_topics(["sanctions", "rules-based-order"])
    assert old.json()["count"] == homes.count() > 0
    mixed = api_client.get("/api/v1/clauses/", {"topic": "sco,taiwan", "page_size": 100}).json()
    assert mixed["count"] == Clause.objects.on_topics(["regional-organisations", "taiwan"]).count()


def test_a_retired_slug_next_to_an_unknown_one_is_a_404_naming_it(api_client):
    response = api_client.get("/api/v1/clauses/", {"topic": "sco,no-such-topic"})
    assert response.status_code == 404
    assert response.json()["errors"] == [
        {"parameter": "topic", "message": "Unknown topic 'no-such-topic'. See /api/v1/topics/ for the list."}
    ]


def test_the_topic_carries_its_scope_note_and_cap_major_topic(api_client):
    body = api_client.get("/api/v1/topics/food-security/").json()
    assert body["description"] == Topic.objects.get(slug="food-security").description
    assert body["description"].startswith("Hunger, famine and food crises")
    assert body["cap_major_topic"] == {"code": 4, "name": "Agriculture"}


def test_the_admin_shows_cap_and_former_slugs(admin_client):
    topic = Topic.objects.get(slug="partnership")
    page = admin_client.get(reverse("admin:statements_topic_change", args=[topic.pk])).content.decode()
    assert "CAP major topic" in page and "strategic-partnership" in page and "political-mutual-trust" in page
    listing = admin_client.get(reverse("admin:statements_topicalias_changelist")).content.decode()
    assert "unilateral-sanctions" in listing
    assert TopicAlias.objects.filter(slug="unilateral-sanctions").count() == 2
