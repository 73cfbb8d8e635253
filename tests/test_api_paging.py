"""Clause lists from rows, paged in constant time: the same JSON as the serializers, every page right."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

from statements.api.pagination import PageNumberPagination
from statements.models import Clause, Party, Topic

from .factories import document_with_clauses

pytestmark = pytest.mark.django_db
URL = "/api/v1/clauses/"


def test_list_items_are_exactly_what_the_clause_serializer_renders(api_client):
    listed = api_client.get(URL, {"page_size": 100}).json()["results"]
    assert len(listed) == 61
    for clause in listed:
        assert api_client.get(clause["url"]).json() == clause  # the detail view uses ClauseSerializer


@pytest.mark.parametrize("microsecond", [0, 500_000, 123_450, 7])
def test_list_items_write_date_times_as_the_serializer_does_whatever_their_fraction(api_client, microsecond):
    # The pages read date-times as the database's text (rows.fixed_sql_cursor): PostgreSQL drops a fraction's trailing
    # zeros, and a whole second has none; the serializer writes Python's isoformat.
    moment = datetime.datetime(2024, 6, 1, 12, 30, 5, microsecond, tzinfo=datetime.UTC)
    Clause.objects.update(updated_at=moment)
    clause = api_client.get(URL, {"page_size": 1}).json()["results"][0]
    assert clause["updated_at"] == moment.isoformat().replace("+00:00", "Z")
    assert api_client.get(clause["url"]).json() == clause


def test_search_results_share_the_clause_fields(api_client):
    for result in api_client.get("/api/v1/search/", {"q": "cooperation", "page_size": 100}).json()["results"]:
        detail = api_client.get(result["url"]).json()
        assert {key: result[key] for key in detail} == detail and set(result) - set(detail) == {"rank", "snippet"}


@pytest.fixture
def more_documents():
    economy, taiwan = Topic.objects.get(slug="economy"), Topic.objects.get(slug="taiwan")
    cn = Party.objects.get(code="cn")
    for n, (size, topics) in enumerate([(13, [economy]), (1, [taiwan]), (29, [taiwan, economy]), (8, [])]):
        document_with_clauses(
            size, topics=topics, parties=[cn], slug=f"more-{n}", date=datetime.date(2020 + n % 2, 1, 1)
        )


def every_page(api_client, params, page_size):
    citations, page, counts = [], 1, set()
    while True:
        data = api_client.get(URL, {**params, "page_size": page_size, "page": page}).json()
        citations += [clause["citation"] for clause in data["results"]]
        counts.add(data["count"])
        assert len(data["results"]) == page_size or not data["next"]
        if not data["next"]:
            return citations, counts
        page += 1


@pytest.mark.parametrize("page_size", [1, 7, 50])
@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, lambda: Clause.objects.in_reading_order()),
        ({"ordering": "-date"}, lambda: Clause.objects.order_by("-document__date", "document__slug", "position")),
        ({"topic": "economy"}, lambda: Clause.objects.on_topics(["economy"]).in_reading_order()),
        ({"party": "cn", "ordering": "date"}, lambda: Clause.objects.by_parties(["cn"]).in_reading_order()),
        (
            {"topic": "economy", "party": "cn"},
            lambda: Clause.objects.on_topics(["economy"]).by_parties(["cn"]).in_reading_order(),
        ),
        (
            {"ordering": "-position"},
            lambda: Clause.objects.order_by("-position", "document__date", "document__slug", "position"),
        ),
    ],
    ids=["reading-order", "newest-first", "topic", "party", "topic-and-party", "by-position"],
)
def test_every_page_in_order_with_the_right_count(api_client, more_documents, params, expected, page_size):
    citations, counts = every_page(api_client, params, page_size)
    assert citations == [clause.citation for clause in expected().select_related("document")]
    assert counts == {len(citations)}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"topic": "taiwan"}, lambda: Clause.objects.on_topics(["taiwan"])),
        ({"topic": "economy", "party": "cn"}, lambda: Clause.objects.on_topics(["economy"]).by_parties(["cn"])),
    ],
    ids=["topic", "topic-and-party"],
)
def test_pages_follow_clauses_placed_anew(api_client, more_documents, params, expected):
    """A filtered page finds its run of a document's clauses by their positions among the matching ones: a clause
    added before them (the others move down) and one removed move every page's clauses along."""

    def listed():
        return [clause.citation for clause in expected().in_reading_order().select_related("document")]

    before = listed()
    tagged = Clause.objects.get(document__slug="more-2", position=3)
    added = Clause.objects.insert(Clause(section=tagged.section, position=2, text="A clause added early."))
    added.topics.add(*tagged.topics.all())
    added.parties.add(*tagged.parties.all())
    Clause.objects.remove(Clause.objects.get(document__slug="more-2", position=10))
    assert listed() != before
    for page_size in (3, 7):
        citations, counts = every_page(api_client, params, page_size)
        assert citations == listed() and counts == {len(citations)}


def test_a_page_past_the_end_is_a_404_naming_page(api_client):
    response = api_client.get(URL, {"page": 5, "page_size": 20})
    assert response.status_code == 404
    assert response.json()["errors"][0] == {
        "parameter": "page",
        "message": "Page 5 is out of range: there are 4 page(s).",
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_postgresql_prepares_the_fixed_sql_of_a_page_and_not_the_orms_queries(api_client, settings):
    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [statement for (statement,) in cursor.fetchall()]

    assert settings.DATABASE_PREPARE_THRESHOLD == 5
    # Pages 2 to 7 of one clause each lie inside the first document (7 clauses): the same two statements every time.
    for page in range(2, 7):
        api_client.get(URL, {"page_size": 1, "page": page})
    assert prepared() == []  # run five times: from the next time on
    api_client.get(URL, {"page_size": 1, "page": 7})
    statements = prepared()
    assert any("c.topic_ids" in statement for statement in statements)  # the links, on the clause rows
    assert any("FROM statements_clause skipped" in statement for statement in statements)  # the run of clauses
    assert not any("statements_dataversion" in statement for statement in statements)  # an ORM-side query


@pytest.mark.parametrize(
    "query",
    [
        "",
        "page=3",
        "page_size=50&page=7",
        "topic=economy&party=cn&page=4&page_size=2",
        "topic=economy,taiwan&topic=industry&date_after=2020-01-01&page=2",
        "q=caf%C3%A9+%2B+%22two+sides%22&page=3&kind=",
        "page=2&page=5&z=%26&a=%3D&PAGE=1&pagex=1&pag=1",
        "ordering=-date&format=json&page=9",
    ],
)
def test_the_next_and_previous_links_are_drfs(query):
    """The links, built from one parse of the request's URL, are what DRF's replace_query_param and
    remove_query_param write, byte for byte."""
    request = Request(RequestFactory().get(f"{URL}?{query}"))
    url = request.build_absolute_uri()
    for number in (1, 2, 3, 10):
        paginator = PageNumberPagination()
        paginator.request = request
        expected = remove_query_param(url, "page") if number == 1 else replace_query_param(url, "page", number)
        assert paginator.page_link(number) == expected
