"""statements.selection: one description of a clause list's filters, read by the ORM and by the fast paths' SQL."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from statements.api.pagination import document_map
from statements.models import READING_ORDER, Clause, ClauseFacet, Party, Topic
from statements.selection import ClauseSelection

from .openapi import JOINT_STATEMENT

pytestmark = pytest.mark.django_db
URL = "/api/v1/clauses/"

CLAUSE_FILTERS = [
    {"parties": ("cn",)},
    {"parties": ("cn", "by")},
    {"topics": ("economy",)},  # a parent topic: its children's clauses too
    {"topics": ("ukraine-crisis", "taiwan")},
    {"q": "two sides"},
    {"q": "Ukraine"},
    {"q": "industrial park"},
    {"q": "100%_"},  # LIKE's wildcards are literal text here
    {"q": "&"},  # no words: nothing on SQLite
    {"parties": ("cn",), "topics": ("economy",), "q": "cooperation"},
]


def selected_by_sql(selection):
    where, params = selection.clause_conditions("c", "default")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT c.id FROM statements_clause c WHERE 1 = 1{where} ORDER BY c.id", params)
        return [row[0] for row in cursor.fetchall()]


def selected_by_orm(selection):
    return list(selection.queryset(Clause.objects.all()).order_by("pk").values_list("pk", flat=True))


@pytest.mark.parametrize("read_ids", [False, True], ids=["ids looked up in SQL", "ids read first"])
@pytest.mark.parametrize("filters", CLAUSE_FILTERS, ids=repr)
def test_the_fast_paths_sql_selects_what_the_orm_selects(filters, read_ids):
    selection = ClauseSelection(**filters)
    if read_ids:  # as the API's filter sets give it (ClauseSelection.with_link_ids)
        selection = selection.with_link_ids("default")
    assert selected_by_sql(selection) == selected_by_orm(selection)


def test_a_selection_with_its_ids_read_carries_them_as_parameters():
    """The ids of the topics (a parent's children too) and parties, read once, are what the SQL would look up."""
    selection = ClauseSelection(parties=("cn",), topics=("economy",)).with_link_ids("default")
    assert selection.topic_ids == tuple(
        sorted(Topic.objects.filter(Q(slug="economy") | Q(parent__slug="economy")).values_list("pk", flat=True))
    )
    assert len(selection.topic_ids) > 1
    assert selection.party_ids == (Party.objects.get(code="cn").pk,)
    where, params = selection.clause_conditions("c", "default")
    assert "statements_topic" not in where and "statements_party " not in where
    given = [pk for param in params for pk in (param if isinstance(param, list) else [param])]
    assert sorted(given) == sorted(selection.topic_ids + selection.party_ids)
    # Through the full-text index (a search's matches) the statement keeps looking them up: given as constants, the
    # planner estimated a common word's matches from the arrays' statistics and read the whole table instead.
    through_index, _ = selection.clause_conditions("c", "default", through_index=True)
    assert "statements_topic" in through_index and "statements_party" in through_index
    assert ClauseSelection().with_link_ids("default") == ClauseSelection()


def test_the_api_reads_the_ids_with_the_parameters(api_client):
    """A filtered page, once its parameters are validated for the data version, runs its page's statement alone: the
    topics' and parties' ids are its parameters."""
    api_client.get(URL, {"topic": "economy", "party": "cn"})
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get(URL, {"topic": "economy", "party": "cn", "page_size": 5}).status_code == 200
    page = [query["sql"] for query in captured.captured_queries if "slice_0" in query["sql"]]
    assert len(page) == 1 and "statements_topic" not in page[0] and "statements_party " not in page[0]


DOCUMENT_FILTERS = [
    {},
    {"kinds": ("joint_statement",)},
    {"kinds": ("readout", "joint_statement"), "parties": ("cn",)},
    {"date_after": datetime.date(2015, 1, 1)},
    {"date_after": datetime.date(2015, 1, 1), "date_before": datetime.date(2023, 12, 31), "topics": ("economy",)},
    {"topics": ("economy",)},
    {"topics": ("ukraine-crisis", "taiwan"), "parties": ("by",)},
    {"order_by": ("-document__date", *READING_ORDER), "topics": ("economy",)},
    {"topics": ("economy", "trade-and-investment"), "parties": ("cn", "by")},  # a parent and its child: counted once
    {"topics": ("economy",), "q": "cooperation"},
    {"parties": ("cn",), "updated_since": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC), "kinds": ("readout",)},
]


@pytest.mark.parametrize("filters", DOCUMENT_FILTERS, ids=repr)
def test_the_document_map_counts_what_the_orm_selects(filters):
    """The map a list pages through (fixed SQL) holds, in the document order, each document's count of the clauses
    the ORM selects."""
    selection = ClauseSelection(**filters)
    ids, starts, total = document_map(selection, "default")
    counts = selection.queryset(Clause.objects.all()).order_by(*selection.document_order).values("document_id")
    expected = list(counts.annotate(n=Count("pk")).values_list("document_id", "n"))
    assert total > 0
    assert list(zip(ids, [*starts[1:], total], strict=True)) == [
        (document_id, sum(n for _, n in expected[: i + 1])) for i, (document_id, _) in enumerate(expected)
    ]


@pytest.mark.parametrize("read_ids", [False, True], ids=["ids looked up in SQL", "ids read first"])
@pytest.mark.parametrize("filters", CLAUSE_FILTERS + DOCUMENT_FILTERS, ids=repr)
@pytest.mark.parametrize("through_index", [False, True], ids=["checked on the row", "through the index"])
def test_every_filter_as_sql_selects_what_the_orm_selects(filters, read_ids, through_index):
    """``conditions`` (a search's filters on PostgreSQL): the clause filters and the document filters."""
    selection = ClauseSelection(**filters)
    if read_ids:
        selection = selection.with_link_ids("default")
    where, params = selection.conditions("c", "default", through_index=through_index)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT c.id FROM statements_clause c WHERE 1 = 1{where} ORDER BY c.id", params)
        assert [row[0] for row in cursor.fetchall()] == selected_by_orm(selection)


def test_updated_since_selects_the_same_clauses_at_the_boundary():
    clause = Clause.objects.get(document__slug=JOINT_STATEMENT, eid="para_39")
    Clause.objects.filter(pk=clause.pk).update(updated_at=datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC))
    for moment in (datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC), datetime.datetime(2030, 1, 1)):
        selection = ClauseSelection(updated_since=moment.replace(tzinfo=datetime.UTC))
        assert selected_by_sql(selection) == selected_by_orm(selection) == [clause.pk]


def test_the_filters_select_something_to_compare():
    # The comparisons above would pass on an empty corpus: most selections must find clauses.
    found = [bool(selected_by_orm(ClauseSelection(**filters))) for filters in CLAUSE_FILTERS]
    assert sum(found) >= len(CLAUSE_FILTERS) - 2


@pytest.mark.parametrize(
    "params",
    [{"party": "cn", "topic": "economy"}, {"q": "two sides", "kind": "joint_statement"}, {"topic": "ukraine-crisis"}],
)
def test_a_page_in_reading_order_holds_what_the_counted_path_holds(api_client, params):
    """The fast path (document map, fixed SQL) and the ORM's counted path list the same clauses."""
    fast = api_client.get(URL, {**params, "page_size": 100}).json()
    counted = api_client.get(URL, {**params, "page_size": 100, "ordering": "updated_at"}).json()
    assert fast["count"] == counted["count"] > 0
    assert sorted(fast["results"], key=lambda c: c["citation"]) == sorted(
        counted["results"], key=lambda c: c["citation"]
    )


@pytest.mark.parametrize("path", [URL, "/api/v1/search/", "/api/v1/clauses/export/"])
def test_a_q_without_words_is_an_empty_list_on_every_database(api_client, path):
    response = api_client.get(path, {"q": "&"})
    assert response.status_code == 200
    if path.endswith("export/"):
        assert b"".join(response.streaming_content) == b""
    else:
        assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_a_q_without_words_has_one_empty_page_and_none_beyond(api_client):
    response = api_client.get(URL, {"q": "&", "page": 2})
    assert response.status_code == 404  # a page beyond the last, as for any list
    assert [error["parameter"] for error in response.json()["errors"]] == ["page"]


def test_one_topic_one_party_or_one_of_each_page_through_their_facet_rows():
    """The selections whose clauses are ClauseFacet rows of one value, or of two intersected: a page starts its runs
    from those rows' positions. A topic's value is its own id (its rows include its children's clauses)."""
    economy, cn = Topic.objects.get(slug="economy"), Party.objects.get(code="cn")

    def values(**filters):
        return ClauseSelection(**filters).with_link_ids("default").facet_values()

    assert values(topics=("economy",)) == [(ClauseFacet.TOPIC, economy.pk)]
    assert values(parties=("cn",)) == [(ClauseFacet.PARTY, cn.pk)]
    both = [(ClauseFacet.TOPIC, economy.pk), (ClauseFacet.PARTY, cn.pk)]
    assert values(topics=("economy",), parties=("cn",), kinds=("joint_statement",)) == both  # documents: the map's
    assert values(topics=("economy", "taiwan")) is None
    assert values(parties=("cn", "by")) is None
    assert values(parties=("cn",), q="two sides") is None
    assert values(parties=("cn",), updated_since=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)) is None
    assert values() is None
    assert ClauseSelection(topics=("economy",)).facet_values() is None  # ids not read: the SQL looks them up
