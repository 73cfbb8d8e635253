"""Bounded work per request: no anonymous request, nor a few of them, can stall the site.

Issue 14, finding 9: ``/`` took 4-5 s at 100,000 clauses and was neither cached nor throttled; unknown query
parameters (``/api/v1/topics/?cb=N``) bypassed the response cache; 20 concurrent CSV exports, or 8 slow
readers, held every worker; slow readers kept PostgreSQL sessions ``idle in transaction``; ``make load-test``
failed at start because its port lay in the ephemeral range. (That probes are answered while every worker is
busy is measured by ``make hostile-load-test``, not here: it needs a real server and real load.)
"""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import close_old_connections, connection

from statements.api.v1 import export

from .factories import document_with_clauses
from .openapi import assert_error

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
EXPORT = "/api/v1/clauses/export/"
PAGES = ["/", "/documents/china-belarus-joint-statement-2023-03-02/", "/topics/economy/", "/feeds/documents.atom"]


@pytest.fixture
def throttled(settings):
    settings.API_THROTTLING = True
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"}}
    cache.clear()


@pytest.mark.parametrize("url", PAGES)
def test_a_page_for_people_is_computed_once_per_data_version(client, django_assert_max_num_queries, url):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_max_num_queries(1):  # the data version, nothing else
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content


def test_a_write_shows_on_the_cached_page_at_once(client):
    client.get("/")
    document_with_clauses(1, slug="just-published", title="A statement published a moment ago")
    assert "A statement published a moment ago" in client.get("/").content.decode()


def test_a_page_ignores_parameters_it_does_not_read(client, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(1):
        assert client.get("/?cb=12345").status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_pages_for_people_are_throttled_like_the_api(client, throttled, url):
    statuses = [client.get(url).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(url)
    assert 0 < int(response["Retry-After"]) <= 60


@pytest.mark.parametrize("url", ["/api/v1/topics/?cb=1", "/api/v1/clauses/?page=1&utm_source=x", "/api/v1/?x=1"])
def test_an_api_parameter_no_operation_reads_is_a_400_naming_it(api_client, url):
    name = re.search(r"[?&](cb|utm_source|x)=", url)[1]
    body = assert_error(api_client.get(url), 400, parameter=name, message_contains="Unknown parameter")
    assert body["code"] == "invalid_parameters"


def test_the_format_override_is_still_read(api_client):
    assert api_client.get("/api/v1/topics/?format=json").status_code == 200
    assert api_client.get("/api/v1/schema/?format=json").status_code == 200


@pytest.fixture
def export_limits(settings):
    settings.API_EXPORTS_PER_PROCESS = 2
    settings.API_EXPORTS_PER_CLIENT = 1


def start_export(api_client, address):
    return api_client.get(EXPORT, {"format": "csv"}, REMOTE_ADDR=address)


def server_closes(response):
    """Close ``response`` as the WSGI server does when the client is done (read to the end, or gone), as Django's
    test client itself does at the end of a stream: ``request_finished`` fires (the export gives back its slot)
    without closing the database connection, which here is the test's transaction (on PostgreSQL a connection
    closed inside it stays closed; a real server's next request opens a new one)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_a_client_gets_one_export_at_a_time(api_client, export_limits):
    first = start_export(api_client, "192.0.2.1")
    assert first.status_code == 200
    second = start_export(api_client, "192.0.2.1")
    body = assert_error(second, 429)
    assert body["code"] == "too_many_exports"
    assert int(second["Retry-After"]) > 0
    other = start_export(api_client, "192.0.2.2")
    assert other.status_code == 200
    b"".join(first.streaming_content)
    server_closes(first)  # the export is over: the client may start another
    again = start_export(api_client, "192.0.2.1")
    assert again.status_code == 200
    for response in (other, again):
        server_closes(response)


def test_a_process_runs_a_bounded_number_of_exports(api_client, export_limits):
    running = [start_export(api_client, f"192.0.2.{n}") for n in (1, 2)]
    assert [response.status_code for response in running] == [200, 200]
    assert_error(start_export(api_client, "192.0.2.3"), 429)
    server_closes(running[0])
    third = start_export(api_client, "192.0.2.3")
    assert third.status_code == 200
    for response in (running[1], third):
        server_closes(response)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("ordering", [None, "-updated_at", "position"])
def test_an_export_holds_no_transaction_open_while_the_client_reads(api_client, monkeypatch, live_corpus, ordering):
    monkeypatch.setattr(export, "EXPORT_CHUNK", 10)
    params = {"format": "jsonl", **({"ordering": ordering} if ordering else {})}
    response = api_client.get(EXPORT, params)
    chunks = iter(response.streaming_content)
    next(chunks)
    next(chunks)  # the client reads slowly: the export is suspended between two chunks
    assert not connection.in_atomic_block
    if connection.vendor == "postgresql":
        assert connection.connection.info.transaction_status == 0  # psycopg: IDLE, not INTRANS
    response.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_ends_sessions_left_idle_in_a_transaction():
    with connection.cursor() as cursor:
        cursor.execute("SHOW idle_in_transaction_session_timeout")
        assert cursor.fetchone()[0] not in {"0", "0ms"}


def test_the_load_test_listens_outside_the_ephemeral_port_range():
    low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    script = (ROOT / "bin" / "load-outage-test").read_text()
    ports = [int(port) for port in re.findall(r'os\.environ\.get\("(?:LOAD_PORT|PG_PORT)", "(\d+)"\)', script)]
    assert len(ports) == 2
    assert all(not low <= port <= high for port in ports), (ports, (low, high))
