"""The data version, the response cache and conditional GETs: every write shows in the next response."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from statements.api import cache as cache_module
from statements.models import Clause, ClauseTopic, DataVersion, Topic

from .openapi import JOINT_STATEMENT

pytestmark = pytest.mark.django_db
URL = "/api/v1/clauses/"
PARA_39 = f"/api/v1/documents/{JOINT_STATEMENT}/clauses/para_39/"
IMPORT_FILE = Path(__file__).resolve().parent / "data" / "import" / "numbered-with-headings.txt"


def version():
    return DataVersion.objects.get().version


def test_every_api_get_has_an_etag_and_last_modified(api_client):
    for url in ["/api/", "/api/v1/", URL, PARA_39, "/api/v1/topics/", "/api/v1/search/?q=Ukraine"]:
        response = api_client.get(url)
        assert response.status_code == 200, url
        assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT"), url
        assert "Accept" in response["Vary"]


def test_the_second_request_is_served_from_the_cache_with_one_query(api_client, django_assert_num_queries):
    first = api_client.get(URL, {"page_size": 100})
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(1):  # the data version
        second = api_client.get(URL, {"page_size": 100})
    assert second["X-Cache"] == "hit" and second.content == first.content and second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]


def test_if_none_match_is_a_304_without_touching_the_clause_tables(api_client):
    etag = api_client.get(URL).headers["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag
    assert [q["sql"] for q in queries if "statements_dataversion" not in q["sql"]] == []
    assert api_client.get(URL, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_if_modified_since(api_client):
    last_modified = api_client.get(URL).headers["Last-Modified"]
    assert api_client.get(URL, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert api_client.get(URL, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200


def test_representations_have_their_own_etags(api_client):
    etags = {api_client.get(URL, params).headers["ETag"] for params in ({}, {"page": 2}, {"topic": "taiwan"})}
    assert len(etags) == 3


def test_errors_are_not_cached(api_client):
    assert api_client.get(URL, {"topic": "nope"}).status_code == 404
    again = api_client.get(URL, {"topic": "nope"})
    assert again.status_code == 404 and "ETag" not in again and again.get("X-Cache") != "hit"


def etag_and_text(api_client, url=PARA_39):
    response = api_client.get(url)
    assert response.status_code == 200
    return response["ETag"], response.json()


def test_an_admin_edit_changes_the_next_response(api_client, admin_client):
    etag, before = etag_and_text(api_client)
    topic = Topic.objects.get(slug="ukraine-crisis")
    change = reverse("admin:statements_topic_change", args=[topic.pk])
    form = {"slug": topic.slug, "name": "Ukraine war", "description": topic.description, "position": topic.position}
    form["cap_code"] = topic.cap_code
    form["parent"] = topic.parent_id
    assert admin_client.post(change, form).status_code == 302
    new_etag, after = etag_and_text(api_client)
    assert new_etag != etag
    assert {"slug": "ukraine-crisis", "name": "Ukraine war"} in after["topics"]
    assert {"slug": "ukraine-crisis", "name": "War in Ukraine"} in before["topics"]
    assert api_client.get(PARA_39, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_link_removed_through_the_orm_changes_the_next_response(api_client):
    etag, before = etag_and_text(api_client)
    ClauseTopic.objects.filter(clause__eid="para_39", clause__document__slug=JOINT_STATEMENT).delete()
    new_etag, after = etag_and_text(api_client)
    assert new_etag != etag and before["topics"] and after["topics"] == []


def test_an_import_changes_the_next_response(api_client):
    etag, before = etag_and_text(api_client, URL)
    call_command("import_statement", str(IMPORT_FILE), stdout=StringIO(), stderr=StringIO())
    new_etag, after = etag_and_text(api_client, URL)
    assert new_etag != etag and after["count"] > before["count"]


def test_a_loaddata_changes_the_next_response(api_client, tmp_path):
    etag, before = etag_and_text(api_client)
    fixture = tmp_path / "edit.json"
    clause = Clause.objects.get(document__slug=JOINT_STATEMENT, eid="para_39")
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "statements.clause",
                    "fields": {
                        "document": [JOINT_STATEMENT],
                        "section": [JOINT_STATEMENT, clause.section.eid],
                        "position": clause.position,
                        "eid": "para_39",
                        "label": clause.label,
                        "text": "A corrected text.",
                        "created_at": "2026-11-28T00:00:00Z",
                        "updated_at": "2026-11-28T00:00:00Z",
                    },
                }
            ]
        )
    )
    version_before = version()
    call_command("loaddata", str(fixture), verbosity=0)
    assert version() > version_before
    new_etag, after = etag_and_text(api_client)
    assert new_etag != etag and after["text"] == "A corrected text." != before["text"]


def test_a_failed_write_does_not_bump_the_version():
    before = version()
    with pytest.raises(Exception):  # noqa: B017  (any database error)
        call_command("loaddata", "no-such-fixture", verbosity=0)
    assert version() == before


def test_a_write_by_another_process_shows_within_the_version_max_age(api_client, settings, monkeypatch):
    """Writes that send no signal here (another process, raw SQL) show once the memo of the version expires."""
    settings.API_DATA_VERSION_MAX_AGE = 60
    now = [1000.0]
    monkeypatch.setattr("statements.api.cache.time.monotonic", lambda: now[0])
    etag, before = etag_and_text(api_client)
    with connection.cursor() as cursor:  # no ORM, no signal: as another process would write
        cursor.execute("UPDATE statements_clause SET text = 'Changed elsewhere.' WHERE eid = 'para_39'")
    assert etag_and_text(api_client) == (etag, before)  # within the max age: the version this process read
    now[0] += 61
    new_etag, after = etag_and_text(api_client)
    assert new_etag != etag and after["text"] == "Changed elsewhere."


def test_with_the_version_memo_a_cached_page_makes_no_query(api_client, settings, django_assert_num_queries):
    settings.API_DATA_VERSION_MAX_AGE = 60
    first = api_client.get(URL)
    with django_assert_num_queries(0):
        second = api_client.get(URL)
    assert second["X-Cache"] == "hit" and second.content == first.content
    Clause.objects.filter(eid="para_39").first().save()  # an ORM write in this process: read the version again
    third = api_client.get(URL)
    assert third["X-Cache"] == "miss" and third["ETag"] != first["ETag"]


def test_a_worker_pages_through_a_filtered_list_without_reading_the_cache_again(api_client, settings, monkeypatch):
    """The filters and the document map a list's pages share are read from the cache once per process, then kept."""
    settings.API_CACHE_RESPONSES = False
    filtered = {"topic": "ukraine-crisis", "page_size": 2}
    first = api_client.get(URL, filtered).json()
    reads = []
    shared = cache_module.cache()
    monkeypatch.setattr(cache_module, "cache", lambda: reads.append("read") or shared)
    second = api_client.get(URL, {**filtered, "page": 2}).json()
    assert reads == []
    assert second["count"] == first["count"] > 2 and second["results"] != first["results"]


def test_a_write_shows_in_the_next_page_of_a_list_whose_map_the_worker_keeps(api_client, settings):
    settings.API_CACHE_RESPONSES = False
    filtered = {"topic": "ukraine-crisis", "page_size": 100}
    before = api_client.get(URL, filtered).json()
    assert api_client.get(URL, filtered).json() == before  # kept
    clause = Clause.objects.exclude(topics__slug="ukraine-crisis").first()
    ClauseTopic.objects.create(clause=clause, topic=Topic.objects.get(slug="ukraine-crisis"))
    after = api_client.get(URL, filtered).json()
    assert after["count"] == before["count"] + 1
    assert f"{clause.document.slug}/{clause.eid}" in {result["citation"] for result in after["results"]}


def test_recent_values_keep_the_most_recently_used():
    recent = cache_module.RecentValues(2)
    recent.keep("a", 1)
    recent.keep("b", 2)
    assert recent.get("a") == 1  # now the most recently used
    recent.keep("c", 3)
    assert (recent.get("a"), recent.get("b"), recent.get("c")) == (1, None, 3)
