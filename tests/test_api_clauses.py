"""/api/v1/clauses/: every filter, ordering and pagination, on the real corpus."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from statements.api.cache import recent_values
from statements.api.v1.rows import vocabulary
from statements.models import Clause, Party, Topic

from .factories import document_with_clauses
from .openapi import ARTICLE, CLAUSE_FIELDS, JOINT_STATEMENT, READOUT, assert_matches_schema

pytestmark = pytest.mark.django_db
URL = "/api/v1/clauses/"


def citations(response):
    assert response.status_code == 200, response.content
    assert_matches_schema(response, URL)
    return [clause["citation"] for clause in response.json()["results"]]


def test_all_clauses_in_reading_order(api_client):
    response = api_client.get(URL, {"page_size": 100})
    body = response.json()
    assert body["count"] == Clause.objects.count() == 61
    assert citations(response)[:2] == [f"{READOUT}/para_1", f"{READOUT}/para_2"]
    assert all(set(clause) == CLAUSE_FIELDS for clause in body["results"])


def test_ukraine_crisis_returns_the_ukraine_clauses_of_all_three_documents(api_client):
    response = api_client.get(URL, {"topic": "ukraine-crisis"})
    assert citations(response) == [f"{READOUT}/para_6", f"{JOINT_STATEMENT}/para_39", f"{ARTICLE}/para_4"]
    for clause in response.json()["results"]:
        assert "Ukrain" in clause["text"]
        assert {"slug": "ukraine-crisis", "name": "War in Ukraine"} in clause["topics"]
        assert clause["parties"], clause["citation"]
        assert clause["url"].endswith(f"/api/v1/documents/{clause['citation'].replace('/', '/clauses/')}/")


def test_parent_topic_matches_its_children(api_client):
    parent = set(citations(api_client.get(URL, {"topic": "europe-and-eurasia", "page_size": 100})))
    assert {f"{READOUT}/para_6", f"{ARTICLE}/para_4", f"{JOINT_STATEMENT}/para_39"} <= parent
    expected = Clause.objects.filter(topics__in=Topic.objects.with_descendants(["europe-and-eurasia"])).distinct()
    assert len(parent) == expected.count()


@pytest.mark.parametrize(
    "params",
    [{"topic": "taiwan,ukraine-crisis"}, {"topic": ["taiwan", "ukraine-crisis"]}],
    ids=["comma-separated", "repeated"],
)
def test_several_topics_match_any(api_client, params):
    found = set(citations(api_client.get(URL, {**params, "page_size": 100})))
    taiwan = {c.citation for c in Clause.objects.on_topics(["taiwan"]).select_related("document")}
    assert taiwan and found == taiwan | {f"{READOUT}/para_6", f"{ARTICLE}/para_4", f"{JOINT_STATEMENT}/para_39"}


def test_party_filter(api_client):
    response = api_client.get(URL, {"party": "by", "page_size": 100})
    assert response.json()["count"] == Clause.objects.by_parties(["by"]).count() > 0
    assert all(any(p["code"] == "by" for p in c["parties"]) for c in response.json()["results"])
    both = api_client.get(URL, {"party": "cn,by", "page_size": 1}).json()["count"]
    assert both == Clause.objects.by_parties(["cn", "by"]).count()


def test_document_and_kind_filters(api_client):
    by_document = citations(api_client.get(URL, {"document": ARTICLE, "page_size": 100}))
    by_kind = citations(api_client.get(URL, {"kind": "article", "page_size": 100}))
    assert by_document == by_kind == [f"{ARTICLE}/para_{n}" for n in range(1, 8)]
    two = api_client.get(URL, {"kind": "article,readout", "page_size": 100}).json()
    assert two["count"] == 7 + 11


def test_date_filters(api_client):
    on_the_second = api_client.get(URL, {"date_after": "2023-03-02", "page_size": 100}).json()
    assert {c["document"]["slug"] for c in on_the_second["results"]} == {ARTICLE, JOINT_STATEMENT}
    before = api_client.get(URL, {"date_before": "2023-03-01", "page_size": 100}).json()
    assert {c["document"]["slug"] for c in before["results"]} == {READOUT}
    window = api_client.get(URL, {"date_after": "2023-03-01", "date_before": "2023-03-01"}).json()
    assert window["count"] == 11


def test_updated_since_takes_a_date_or_a_datetime(api_client):
    clause = Clause.objects.get(document__slug=JOINT_STATEMENT, eid="para_39")
    Clause.objects.exclude(pk=clause.pk).update(updated_at=timezone.make_aware(datetime.datetime(2023, 3, 1)))
    Clause.objects.filter(pk=clause.pk).update(updated_at=timezone.make_aware(datetime.datetime(2024, 6, 1, 12)))
    assert citations(api_client.get(URL, {"updated_since": "2024-06-01"})) == [clause.citation]
    assert citations(api_client.get(URL, {"updated_since": "2024-06-01T12:00:00Z"})) == [clause.citation]
    assert citations(api_client.get(URL, {"updated_since": "2024-06-01T12:00:01+00:00"})) == []
    assert citations(api_client.get(URL, {"updated_since": "2024-06-01T13:00:00+02:00"})) == [clause.citation]


def test_filters_combine_with_and(api_client):
    found = citations(api_client.get(URL, {"topic": "ukraine-crisis", "kind": "joint_statement", "party": "cn"}))
    assert found == [f"{JOINT_STATEMENT}/para_39"]
    newest_first = citations(api_client.get(URL, {"topic": "ukraine-crisis", "ordering": "-date,-position"}))
    assert newest_first == [f"{JOINT_STATEMENT}/para_39", f"{ARTICLE}/para_4", f"{READOUT}/para_6"]


def test_free_text_q_keeps_reading_order(api_client):
    found = citations(api_client.get(URL, {"q": "industrial park"}))
    assert found == [
        f"{READOUT}/para_3",
        f"{READOUT}/para_5",
        f"{JOINT_STATEMENT}/para_18",
        f"{JOINT_STATEMENT}/para_19",
        f"{JOINT_STATEMENT}/para_20",
        f"{ARTICLE}/para_6",
    ]


def test_ordering(api_client):
    newest = citations(api_client.get(URL, {"ordering": "-date", "page_size": 100}))
    assert newest[0] == f"{JOINT_STATEMENT}/para_1"  # 2 March: the Joint Statement's slug sorts before the article's
    assert newest[-1] == f"{READOUT}/para_11"
    by_position = citations(api_client.get(URL, {"ordering": "position", "page_size": 3}))
    assert by_position == [f"{READOUT}/para_1", f"{JOINT_STATEMENT}/para_1", f"{ARTICLE}/para_1"]


def test_pagination_envelope(api_client):
    first = api_client.get(URL, {"page_size": 25}).json()
    assert first["count"] == 61 and first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/clauses/?page=2&page_size=25"
    last = api_client.get(URL, {"page_size": 25, "page": 3}).json()
    assert len(last["results"]) == 11 and last["next"] is None
    assert last["previous"] == "http://testserver/api/v1/clauses/?page=2&page_size=25"
    assert len(api_client.get(URL).json()["results"]) == 20  # the default page size


def test_clause_lists_run_constant_queries_whatever_the_page_size(api_client, django_assert_num_queries):
    topics, parties = list(Topic.objects.filter(slug__in=["economy", "industry"])), list(Party.objects.all())
    document_with_clauses(200, topics=topics, parties=parties, slug="two-hundred-clauses")
    filters = {"topic": "economy", "party": "cn", "document": "two-hundred-clauses", "kind": "joint_statement"}
    for page_size in (1, 100):
        cache.clear()  # uncached: the data version, the count (a map of the documents), clauses with their links
        recent_values.clear()  # nor kept by this process
        vocabulary.cache_clear()  # + the topics and parties, once per data version
        with django_assert_num_queries(4):
            assert api_client.get(URL, {"page_size": page_size}).status_code == 200
        with django_assert_num_queries(2):  # the map and vocabulary of this data version are known
            assert api_client.get(URL, {"page_size": page_size, "page": 2}).status_code == 200
        # + one query each to check the document, party and topic values exist, one to read the ids the topic (with its
        # children) and the party name for the page's statement (ClauseSelection.with_link_ids), and two to read the
        # topic's and the party's own ids for the document map (statements.selection.facet_ids: the planner is given
        # the ids)
        cache.clear()
        recent_values.clear()
        with django_assert_num_queries(9):
            response = api_client.get(URL, {**filters, "page_size": page_size})
        assert len(response.json()["results"]) == page_size


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/clauses/", "/api/v1/clauses/export/"])
def test_updated_since_takes_any_iso_offset(client, path):
    """ISO 8601 allows offsets up to +-23:59 and PostgreSQL only +-15:59: the moment is read in UTC first, so the
    filter answers (every clause changed since 2020 is 'since' an hour 18 h ahead) instead of aborting."""
    response = client.get(path, {"updated_since": "2020-01-01T00:00:00+18:08"})
    assert response.status_code == 200
