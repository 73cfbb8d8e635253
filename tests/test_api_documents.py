"""/api/, /api/v1/ and the document endpoints, on the real corpus."""

import pytest
from django.core.cache import cache

from statements.api.v1.rows import vocabulary

from .factories import document_with_clauses
from .openapi import (
    ARTICLE,
    CLAUSE_FIELDS,
    JOINT_STATEMENT,
    READOUT,
    assert_error,
    assert_matches_schema,
    openapi_schema,
)

pytestmark = pytest.mark.django_db


def test_api_root_lists_the_versions(api_client):
    response = api_client.get("/api/")
    assert response.status_code == 200
    assert response.json() == {"versions": {"v1": "http://testserver/api/v1/"}, "current": "v1"}


def test_v1_root_links_to_every_resource(api_client):
    response = api_client.get("/api/v1/")
    assert response.status_code == 200
    links = response.json()
    assert links["documents"] == "http://testserver/api/v1/documents/"
    assert set(links) == {"documents", "clauses", "search", "topics", "parties", "schema", "docs", "redoc"}
    for name, url in links.items():
        expected = 400 if name == "search" else 200  # search without q: the 400 names q
        assert api_client.get(url).status_code == expected, url
    assert_matches_schema(response, "/api/v1/")


def test_document_list_is_newest_first_with_metadata(api_client):
    response = api_client.get("/api/v1/documents/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and body["next"] is None and body["previous"] is None
    assert [d["slug"] for d in body["results"]] == [JOINT_STATEMENT, ARTICLE, READOUT]  # -date, then slug
    joint = body["results"][0]
    assert joint["kind"] == "joint_statement"
    assert joint["clause_count"] == 43
    assert joint["is_translation"] is True and joint["original_language"] == "zh"
    assert "machine translation" in joint["translation_note"]
    assert [p["code"] for p in joint["parties"]] == ["by", "cn"]
    assert [(s["position"], s["name"], s["party"]["code"]) for s in joint["signatories"]] == [
        (1, "Xi Jinping", "cn"),
        (2, "Alexander Lukashenko", "by"),
    ]
    assert joint["clauses_url"] == f"http://testserver/api/v1/documents/{JOINT_STATEMENT}/clauses/"
    assert_matches_schema(response, "/api/v1/documents/")


def test_document_detail_has_a_table_of_contents(api_client):
    response = api_client.get(f"/api/v1/documents/{JOINT_STATEMENT}/")
    assert response.status_code == 200
    document = response.json()
    assert document["slug"] == JOINT_STATEMENT
    sections = document["sections"]
    assert [s["position"] for s in sections] == list(range(1, len(sections) + 1))
    assert all(s["heading_is_editorial"] for s in sections)
    clauses = [c for s in sections for c in s["clauses"]]
    assert [c["position"] for c in clauses] == list(range(1, 44))
    para_39 = next(c for c in clauses if c["eid"] == "para_39")
    assert para_39["citation"] == f"{JOINT_STATEMENT}/para_39"
    assert para_39["url"] == f"http://testserver/api/v1/documents/{JOINT_STATEMENT}/clauses/para_39/"
    assert "text" not in para_39
    assert_matches_schema(response, "/api/v1/documents/{slug}/")


def test_editorial_date_is_marked(api_client):
    article = api_client.get(f"/api/v1/documents/{ARTICLE}/").json()
    assert article["date_is_editorial"] is True
    assert article["editorial_note"]


def test_document_clauses_in_reading_order(api_client):
    response = api_client.get(f"/api/v1/documents/{READOUT}/clauses/", {"page_size": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["results"]) > 0
    assert [c["position"] for c in body["results"]] == list(range(1, body["count"] + 1))
    assert {c["document"]["slug"] for c in body["results"]} == {READOUT}
    assert_matches_schema(response, "/api/v1/documents/{slug}/clauses/")


def test_clause_detail_is_the_citable_url(api_client):
    response = api_client.get(f"/api/v1/documents/{JOINT_STATEMENT}/clauses/para_39/")
    assert response.status_code == 200
    clause = response.json()
    assert set(clause) == CLAUSE_FIELDS
    assert clause["citation"] == f"{JOINT_STATEMENT}/para_39"
    assert clause["url"] == f"http://testserver/api/v1/documents/{JOINT_STATEMENT}/clauses/para_39/"
    assert clause["text"].startswith("The two sides expressed deep concern over the prolongation")
    assert {"slug": "ukraine-crisis", "name": "War in Ukraine"} in clause["topics"]
    assert clause["document"] == {
        "slug": JOINT_STATEMENT,
        "title": clause["document"]["title"],
        "date": "2023-03-02",
        "kind": "joint_statement",
    }
    assert set(clause["section"]) == {"eid", "heading", "heading_is_editorial"}
    assert_matches_schema(response, "/api/v1/documents/{slug}/clauses/{eid}/")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/documents/no-such-document/",
        "/api/v1/documents/no-such-document/clauses/",
        f"/api/v1/documents/{JOINT_STATEMENT}/clauses/para_999/",
        f"/api/v1/documents/{READOUT}/clauses/para_39/",
    ],
)
def test_unknown_slug_or_eid_is_a_404(api_client, url):
    body = assert_error(api_client.get(url), 404)
    assert body["code"] == "not_found"
    assert "No document" in body["detail"] or "No clause" in body["detail"]


def count_queries(django_assert_num_queries, client, url, params, expected):
    cache.clear()  # uncached responses; the data version is read first
    vocabulary.cache_clear()  # and the topics and parties, where the response lists some
    with django_assert_num_queries(expected):
        response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_document_endpoints_run_constant_queries_for_1_or_200_clauses(api_client, django_assert_num_queries):
    from statements.models import Party, Topic

    topics, parties = list(Topic.objects.all()[:3]), list(Party.objects.all())
    small = document_with_clauses(1, topics=topics, parties=parties, slug="one-clause")
    large = document_with_clauses(200, topics=topics, parties=parties, slug="two-hundred-clauses")
    for document, n in ((small, 1), (large, 200)):
        # data version, document, its parties and signatories, its sections and clauses, the vocabulary
        response = count_queries(django_assert_num_queries, api_client, f"/api/v1/documents/{document.slug}/", {}, 5)
        assert len(response.json()["sections"][0]["clauses"]) == n
        # data version, document exists, count, clauses, their topics and parties, the vocabulary
        count_queries(
            django_assert_num_queries, api_client, f"/api/v1/documents/{document.slug}/clauses/", {"page_size": 100}, 6
        )
        # data version, clause, topics, parties
        count_queries(
            django_assert_num_queries, api_client, f"/api/v1/documents/{document.slug}/clauses/para_{n}/", {}, 4
        )
    # data version, count, documents, parties, signatories
    count_queries(django_assert_num_queries, api_client, "/api/v1/documents/", {"page_size": 1}, 5)
    count_queries(django_assert_num_queries, api_client, "/api/v1/documents/", {"page_size": 100}, 5)


def serializer_body(slug):
    """What DocumentDetailSerializer renders for the document: the JSON the row-built body must equal."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory
    from rest_framework.versioning import NamespaceVersioning

    from statements.api.v1.serializers import DocumentDetailSerializer
    from statements.models import Document

    request = Request(APIRequestFactory().get(f"/api/v1/documents/{slug}/"))
    request.versioning_scheme, request.version = NamespaceVersioning(), "v1"
    document = Document.objects.with_metadata().prefetch_related("sections__clauses__document").get(slug=slug)
    return DocumentDetailSerializer(document, context={"request": request}).data


def test_a_document_is_exactly_what_the_document_serializer_renders(api_client):
    from statements.models import Document, Section

    # An empty section, a translation and an editorial date: every kind of field the corpus may not exercise.
    document = document_with_clauses(3, slug="translated", is_translation=True, date_is_editorial=True)
    Section.objects.create(document=document, position=9, eid="sec_empty", heading="Nothing yet")
    for slug in Document.objects.values_list("slug", flat=True):
        body = api_client.get(f"/api/v1/documents/{slug}/").json()
        assert body == serializer_body(slug), slug


def machine_tagged_document():
    """A document with a curator's party, a machine-assigned party and a machine-assigned signatory."""
    from statements.models import AssignedBy, Party, Signatory

    document = document_with_clauses(1, slug="machine-tagged")
    cn, by = Party.objects.get(code="cn"), Party.objects.get(code="by")
    document.parties.add(cn)  # a curator's (the link's default)
    document.parties.add(by, through_defaults={"assigned_by": AssignedBy.RULE, "rule": "document parties: title"})
    Signatory.objects.create(
        document=document, position=1, name="Alexander Lukashenko", office="President", party=by,
        assigned_by=AssignedBy.RULE, rule="signatories: title",
    )  # fmt: skip
    return document


EXPECTED_PARTIES = [
    {"code": "by", "short_name": "Belarus", "assigned_by": "rule", "rule": "document parties: title"},
    {"code": "cn", "short_name": "China", "assigned_by": "curator", "rule": ""},
]


@pytest.mark.parametrize("path", ["/api/v1/documents/", "/api/v1/documents/{slug}/"])
def test_each_party_and_signatory_says_who_assigned_it(api_client, path):
    document = machine_tagged_document()
    response = api_client.get(path.format(slug=document.slug), {"page_size": 100} if "{" not in path else {})
    assert response.status_code == 200
    body = response.json()
    shown = body if "{" in path else next(d for d in body["results"] if d["slug"] == document.slug)
    assert shown["parties"] == EXPECTED_PARTIES
    signatory = shown["signatories"][0]
    assert (signatory["name"], signatory["assigned_by"], signatory["rule"]) == (
        "Alexander Lukashenko",
        "rule",
        "signatories: title",
    )
    assert_matches_schema(response, path)
    # The schema names exactly these fields, and says what assigned_by may be.
    components = openapi_schema()["components"]["schemas"]
    party_schema = components["DocumentParty"]
    assert set(party_schema["properties"]) == set(EXPECTED_PARTIES[0])
    assigned_by = components[party_schema["properties"]["assigned_by"]["allOf"][0]["$ref"].rsplit("/", 1)[1]]
    assert assigned_by["enum"] == ["curator", "rule"]
    assert set(components["Signatory"]["properties"]) == set(signatory)
