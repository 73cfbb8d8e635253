"""Database outages: the API answers 503 JSON with Retry-After (never a 500, never a hang) and recovers alone."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection

from .openapi import assert_error

BASE_DIR = Path(__file__).resolve().parent.parent
CLAUSES = "/api/v1/clauses/"
UNUSED_PORT = "55439"
requires_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


def refuse_every_query(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CLAUSES, "/api/v1/documents/lukashenko-state-visit-to-china-2023/", "/api/v1/topics/"])
def test_a_database_error_under_the_api_is_a_503_in_the_envelope(api_client, url):
    with connection.execute_wrapper(refuse_every_query):
        response = api_client.get(url)
    body = assert_error(response, 503)
    assert body["code"] == "database_unavailable"
    assert response["Retry-After"] == "5"
    assert b"Connection refused" not in response.content  # nothing about the infrastructure leaks


@pytest.mark.django_db
def test_a_database_error_elsewhere_is_a_plain_503(admin_client):
    with connection.execute_wrapper(refuse_every_query):
        response = admin_client.get("/admin/statements/document/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"Traceback" not in response.content


@requires_postgresql
def test_a_real_outage_is_a_503_and_the_next_request_after_it_recovers(live_corpus, api_client):
    """The database's port closes (connection refused), then opens again: no restart in between."""
    assert api_client.get(CLAUSES).status_code == 200
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = UNUSED_PORT
    try:
        started = time.monotonic()
        response = api_client.get(CLAUSES)
        assert time.monotonic() - started < 5
        assert assert_error(response, 503)["code"] == "database_unavailable"
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    assert api_client.get(CLAUSES).status_code == 200


@requires_postgresql
@pytest.mark.django_db
def test_the_statement_timeout_is_set_on_every_connection(settings):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{settings.DATABASE_STATEMENT_TIMEOUT_MS // 1000}s"
    assert connection.settings_dict["OPTIONS"]["connect_timeout"] == settings.DATABASE_CONNECT_TIMEOUT


@requires_postgresql
def test_a_query_over_the_statement_timeout_is_cancelled():
    """A fresh process with DJANGO_DB_STATEMENT_TIMEOUT_MS=300 cannot run a 10-second query: cancelled at 0.3 s."""
    script = "from django.db import connection; connection.cursor().execute('SELECT pg_sleep(10)')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_DB_STATEMENT_TIMEOUT_MS": "300"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    # PostgreSQL's own message: the query was cancelled by the timeout, not left to finish its 10 s
    assert "canceling statement due to statement timeout" in result.stderr


@requires_postgresql
@pytest.mark.django_db
def test_a_slow_query_under_the_api_is_a_503(api_client):
    def slow(execute, sql, params, many, context):
        # Only the view's query: inside the test's transaction an earlier cancelled one would abort the rest.
        slowed = "statements_party" in sql and not many
        return execute("SELECT pg_sleep(1); " + sql if slowed else sql, params, many, context)

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '100ms'")
    with connection.execute_wrapper(slow):
        response = api_client.get("/api/v1/parties/")
    assert assert_error(response, 503)["code"] == "database_unavailable"
