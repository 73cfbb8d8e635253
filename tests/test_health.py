"""The orchestrator probes: /healthz (process alive, no database) and /readyz (databases answer)."""

import dj_database_url
import pytest
from django.db import connections

from tests.databases import extra_database


def test_healthz_answers_without_touching_the_database(client):
    # No db fixture: any query here would fail the test.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_the_database_reachable(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "databases": {"default": "ok"}}


def test_readyz_is_503_when_a_database_is_unreachable(client, caplog, django_db_setup, django_db_blocker):
    # A real connection attempt to a port where nothing listens (port 1 on this machine). Outside a
    # test transaction, so the probe connects for real, as it does in production.
    unreachable = dj_database_url.parse("postgres://statements@127.0.0.1:1/statements")
    unreachable["OPTIONS"] = {"connect_timeout": 2}
    with django_db_blocker.unblock(), extra_database("unreachable", unreachable):
        try:
            response = client.get("/readyz")
        finally:
            # The probe's persistent connection to the test database was opened outside any test: close it.
            connections["default"].close()

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "unavailable", "databases": {"default": "ok", "unreachable": "unavailable"}}
    # The reason is logged for the operator, not shown to the caller.
    assert "127.0.0.1" not in response.content.decode()
    failures = [r for r in caplog.records if r.message == "readiness check failed for database 'unreachable'"]
    assert len(failures) == 1
    assert "Connection refused" in str(failures[0].exc_info[1])


PRODUCTION_HOSTS = {"ALLOWED_HOSTS": ["statements.example.org"], "SECURE_SSL_REDIRECT": True}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_on_the_container_address_over_plain_http(client, settings, path):
    for name, value in PRODUCTION_HOSTS.items():
        setattr(settings, name, value)

    response = client.get(path, HTTP_HOST="10.0.0.7")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_other_pages_still_validate_the_host_and_redirect_to_https(client, settings):
    for name, value in PRODUCTION_HOSTS.items():
        setattr(settings, name, value)

    assert client.get("/admin/login/", HTTP_HOST="10.0.0.7").status_code == 400
    assert client.post("/healthz", HTTP_HOST="10.0.0.7").status_code == 400
    redirect = client.get("/admin/login/", HTTP_HOST="statements.example.org")
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://statements.example.org/admin/login/"
