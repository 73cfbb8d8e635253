"""One structured log line per request, tagged with a request id that the response echoes."""

import json
import logging
import re
import uuid

import pytest
from django.http import HttpResponse
from django.urls import path

from config.request_logging import JsonFormatter, RequestIdFilter

REQUEST_LOGGER = "statements.requests"


def request_records(caplog):
    return [record for record in caplog.records if record.name == REQUEST_LOGGER]


def as_json_line(record):
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_a_request_logs_one_json_line_with_its_fields(client, caplog):
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)

    response = client.get("/healthz?probe=1")

    [record] = request_records(caplog)
    entry = as_json_line(record)
    assert entry["level"] == "INFO"
    assert entry["logger"] == REQUEST_LOGGER
    assert entry["message"] == "GET /healthz 200"
    assert entry["method"] == "GET"
    assert entry["path"] == "/healthz"
    assert entry["status"] == 200
    assert isinstance(entry["duration_ms"], float)
    assert entry["duration_ms"] >= 0
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert entry["request_id"] == response["X-Request-ID"]


def test_an_incoming_request_id_is_kept_and_echoed(client, caplog):
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)

    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a-0001")

    assert response["X-Request-ID"] == "lb-7f3a-0001"
    [record] = request_records(caplog)
    assert as_json_line(record)["request_id"] == "lb-7f3a-0001"


@pytest.mark.parametrize("incoming", ['x" injected="1', "a" * 129, "two words", ""])
def test_an_unsafe_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_a_new_request_id_is_a_random_uuid4_in_hex(client):
    ids = {client.get("/healthz")["X-Request-ID"] for _ in range(20)}

    assert len(ids) == 20
    assert all(uuid.UUID(hex=new).version == 4 and uuid.UUID(hex=new).hex == new for new in ids)


@pytest.mark.django_db
def test_the_status_is_the_one_the_client_got(client, caplog):
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)

    client.get("/no-such-page/")

    [record] = request_records(caplog)
    assert (record.method, record.path, record.status) == ("GET", "/no-such-page/", 404)


def fails(request):
    raise RuntimeError("the view failed")


def fine(request):
    logging.getLogger("statements.test").warning("inside the view")
    return HttpResponse("fine")


urlpatterns = [path("api/v1/fails/", fails), path("fine/", fine)]
handler500 = "config.errors.server_error"


@pytest.mark.urls(__name__)
def test_a_server_error_logs_its_traceback_on_one_line_with_the_request_id(client, caplog):
    client.raise_request_exception = False

    response = client.get("/api/v1/fails/", HTTP_X_REQUEST_ID="req-500")

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert response["X-Request-ID"] == "req-500"
    # The stdout handler's RequestIdFilter (settings.LOGGING) stamped the id while the request ran.
    [error] = [record for record in caplog.records if record.name == "django.request"]
    entry = as_json_line(error)
    assert entry["level"] == "ERROR"
    assert entry["request_id"] == "req-500"
    assert "RuntimeError: the view failed" in entry["exc_info"]
    assert "Traceback" in entry["exc_info"]


@pytest.mark.urls(__name__)
def test_records_logged_during_a_request_carry_its_id(client, caplog):
    client.get("/fine/", HTTP_X_REQUEST_ID="req-inside")

    [inside] = [record for record in caplog.records if record.name == "statements.test"]
    assert as_json_line(inside)["request_id"] == "req-inside"
    # Outside a request there is no id.
    outside = logging.LogRecord("statements.test", logging.INFO, __file__, 1, "later", None, None)
    RequestIdFilter().filter(outside)
    assert outside.request_id is None
