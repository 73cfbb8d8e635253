"""/api/v1/topics/ (the tree with counts) and /api/v1/parties/, on the real corpus."""

import pytest

from statements.models import Clause, Party, Topic

from .openapi import assert_error, assert_matches_schema

pytestmark = pytest.mark.django_db


def test_topic_list_is_the_tree(api_client):
    response = api_client.get("/api/v1/topics/")
    assert response.status_code == 200
    assert_matches_schema(response, "/api/v1/topics/")
    tree = response.json()
    assert [t["slug"] for t in tree] == list(Topic.objects.filter(parent=None).values_list("slug", flat=True))
    assert sum(1 + len(t["children"]) for t in tree) == Topic.objects.count()
    europe = next(t for t in tree if t["slug"] == "europe-and-eurasia")
    assert europe["cap_major_topic"] == {"code": 19, "name": "International Affairs"}
    ukraine = next(c for c in europe["children"] if c["slug"] == "ukraine-crisis")
    assert ukraine == {
        "slug": "ukraine-crisis",
        "url": "http://testserver/api/v1/topics/ukraine-crisis/",
        "name": "War in Ukraine",
        "description": Topic.objects.get(slug="ukraine-crisis").description,
        "cap_major_topic": {"code": 19, "name": "International Affairs"},
        "clause_count": 3,
        "document_count": 3,
    }
    assert ukraine["description"].startswith("Russia’s war against Ukraine") or ukraine["description"]
    labour = next(c for t in tree for c in t["children"] if c["slug"] == "labour")
    assert labour["cap_major_topic"] == {"code": 5, "name": "Labor"}  # a child whose CAP home is not its parent's


def test_a_parents_counts_include_its_children_as_the_topic_filter_does(api_client):
    for topic in api_client.get("/api/v1/topics/").json():
        clauses = Clause.objects.on_topics([topic["slug"]])
        assert topic["clause_count"] == clauses.count(), topic["slug"]
        assert topic["document_count"] == clauses.values("document").distinct().count(), topic["slug"]
        listed = api_client.get("/api/v1/clauses/", {"topic": topic["slug"], "page_size": 1}).json()["count"]
        assert topic["clause_count"] == listed
        assert topic["clause_count"] >= max((c["clause_count"] for c in topic["children"]), default=0)


def test_topic_detail(api_client):
    response = api_client.get("/api/v1/topics/ukraine-crisis/")
    assert response.status_code == 200
    assert_matches_schema(response, "/api/v1/topics/{slug}/")
    topic = response.json()
    assert topic["parent"] == {"slug": "europe-and-eurasia", "name": "Europe, Eurasia and the Arctic"}
    assert topic["children"] == []
    assert topic["clauses_url"] == "http://testserver/api/v1/clauses/?topic=ukraine-crisis"
    parent = api_client.get("/api/v1/topics/europe-and-eurasia/").json()
    assert parent["parent"] is None
    assert "ukraine-crisis" in [c["slug"] for c in parent["children"]]


def test_party_list_and_detail(api_client):
    response = api_client.get("/api/v1/parties/")
    assert response.status_code == 200
    assert_matches_schema(response, "/api/v1/parties/")
    parties = response.json()
    assert [p["code"] for p in parties] == list(Party.objects.values_list("code", flat=True))  # the whole vocabulary
    assert {"by", "cn", "us", "eu", "g7"} <= {p["code"] for p in parties}
    china = api_client.get("/api/v1/parties/cn/")
    assert_matches_schema(china, "/api/v1/parties/{code}/")
    assert china.json() == {
        "code": "cn",
        "url": "http://testserver/api/v1/parties/cn/",
        "name": "People’s Republic of China",
        "short_name": "China",
        "kind": "state",
        "un_status": "member",
        "aliases": ["PRC", "P.R.C."],
        "demonyms": ["Chinese"],
        "members": [],
        "clause_count": Clause.objects.by_parties(["cn"]).count(),
        "document_count": 3,
        "clauses_url": "http://testserver/api/v1/clauses/?party=cn",
    }
    assert next(p for p in parties if p["code"] == "cn") == china.json()


def test_a_group_lists_its_members_with_the_dates_they_joined_or_left(api_client):
    g7 = api_client.get("/api/v1/parties/g7/")
    assert_matches_schema(g7, "/api/v1/parties/{code}/")
    body = g7.json()
    assert (body["kind"], body["un_status"], body["name"], body["short_name"]) == ("group", "", "Group of Seven", "G7")
    assert [m["code"] for m in body["members"]] == ["ca", "fr", "de", "it", "jp", "gb", "us"]
    assert body["members"][0] == {"code": "ca", "short_name": "Canada", "since": None, "until": None}
    nato = api_client.get("/api/v1/parties/nato/").json()
    assert nato["kind"] == "organisation"
    assert {"code": "fi", "short_name": "Finland", "since": "2023-04-04", "until": None} in nato["members"]
    eu = api_client.get("/api/v1/parties/eu/").json()
    assert {"code": "gb", "short_name": "United Kingdom", "since": None, "until": "2020-01-31"} in eu["members"]
    assert api_client.get("/api/v1/parties/va/").json()["un_status"] == "observer"
    assert api_client.get("/api/v1/parties/tw/").json()["un_status"] == "none"


@pytest.mark.parametrize("url", ["/api/v1/topics/no-such-topic/", "/api/v1/parties/xx/"])
def test_unknown_topic_or_party_is_a_404(api_client, url):
    assert_error(api_client.get(url), 404)


def test_topics_and_parties_run_constant_queries(api_client, django_assert_num_queries):
    # Each first reads the data version (statements.api.cache).
    with django_assert_num_queries(3):  # top-level topics, children (each with its counts)
        api_client.get("/api/v1/topics/")
    with django_assert_num_queries(3):  # the topic with its parent, its children
        api_client.get("/api/v1/topics/international-order/")
    Party.objects.bulk_create(Party(code=f"x{n}", name=f"X {n}", short_name=f"X{n}") for n in range(50))
    parties = Party.objects.count()
    with django_assert_num_queries(4):  # the parties with their counts, their names, their members
        assert len(api_client.get("/api/v1/parties/").json()) == parties
    with django_assert_num_queries(4):
        api_client.get("/api/v1/parties/g20/")
