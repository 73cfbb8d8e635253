"""Throttling: too many requests from one client get a 429 in the error envelope, with Retry-After."""

import pytest
from django.core.cache import cache

from .openapi import assert_error, openapi_schema

pytestmark = pytest.mark.django_db
CLAUSES = "/api/v1/clauses/"


@pytest.fixture
def throttled(settings):
    settings.API_THROTTLING = True
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"},
    }
    cache.clear()
    yield
    cache.clear()


def test_the_request_over_the_anonymous_rate_is_a_429_with_retry_after(api_client, throttled):
    # The same URL each time: from the second request on the response cache answers, and that counts too.
    responses = [api_client.get(CLAUSES) for _ in range(3)]
    assert [(r.status_code, r["X-Cache"]) for r in responses] == [(200, "miss"), (200, "hit"), (200, "hit")]
    response = api_client.get(CLAUSES)
    body = assert_error(response, 429, path=CLAUSES)
    assert body["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_clients_are_counted_apart(api_client, throttled):
    for _ in range(3):
        api_client.get(CLAUSES, REMOTE_ADDR="192.0.2.1")
    assert api_client.get(CLAUSES, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert api_client.get(CLAUSES, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_a_forged_x_forwarded_for_does_not_escape_the_limit(api_client, throttled):
    # With no trusted proxy (DJANGO_NUM_PROXIES=0) the header is ignored.
    statuses = [api_client.get(CLAUSES, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_every_endpoint_is_throttled(api_client, throttled):
    for url in ["/api/v1/topics/", "/api/v1/parties/cn/", "/api/v1/search/?q=park"]:
        api_client.get(url)
    assert api_client.get("/api/v1/documents/").status_code == 429


def test_the_switch_is_off_for_the_test_suite(api_client):
    assert {api_client.get("/api/v1/parties/").status_code for _ in range(200)} == {200}


def test_every_operation_documents_429_and_503_with_retry_after():
    operations = [operation for path in openapi_schema()["paths"].values() for operation in path.values()]
    assert operations
    for operation in operations:
        for status in ("429", "503"):
            response = operation["responses"][status]
            assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
            assert "Retry-After" in response["headers"]
