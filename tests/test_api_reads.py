"""A cookie-less read of the API skips the middleware it does not need (config/api_reads.py): what the client gets is
the same as through the whole stack."""

import pytest
from django.core.cache import cache
from django.test import Client

from config.api_reads import is_api_read

pytestmark = pytest.mark.django_db
CLAUSES = "/api/v1/clauses/"


@pytest.fixture
def production_throttling(settings):
    """The throttles on, as in production: they read request.user, which adds Vary: Cookie."""
    settings.API_THROTTLING = True
    settings.API_CACHE_RESPONSES = False
    cache.clear()
    yield
    cache.clear()


def headers(response):
    return {name: value for name, value in response.items() if name != "X-Request-ID"}


@pytest.mark.parametrize("path", [CLAUSES, "/api/v1/search/?q=cooperation", "/api/v1/", "/api/v1/nothing/"])
def test_a_read_without_cookies_is_answered_as_one_with_a_cookie(production_throttling, path):
    without = Client().get(path)
    with_cookie = Client(HTTP_COOKIE="theme=dark").get(path)  # not an API read: every middleware runs
    assert without.status_code == with_cookie.status_code
    assert headers(without) == headers(with_cookie)
    assert without.content == with_cookie.content
    assert without.cookies.keys() == with_cookie.cookies.keys() == set()


def test_a_page_of_the_api_that_asks_for_a_csrf_token_still_sets_the_cookie():
    # Swagger UI's set-up script carries the CSRF token (drf-spectacular's swagger_ui.js).
    response = Client().get("/api/v1/docs/?script")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert response.cookies["csrftoken"].value not in response.content.decode()  # the page has it masked


def test_a_logged_in_curator_reading_the_api_is_seen_as_one(admin_client, settings):
    settings.API_THROTTLING = True
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/min", "user": "3/min"}}
    cache.clear()
    statuses = [admin_client.get(CLAUSES, {"page": n}).status_code for n in range(1, 5)]
    cache.clear()
    assert statuses == [200, 200, 200, 429]  # the user's rate, not the anonymous one


@pytest.mark.parametrize(
    ("method", "path", "meta", "expected"),
    [
        ("GET", CLAUSES, {}, True),
        ("HEAD", CLAUSES, {"HTTP_COOKIE": ""}, True),
        ("GET", CLAUSES, {"HTTP_COOKIE": "sessionid=x"}, False),
        ("GET", CLAUSES, {"HTTP_AUTHORIZATION": "Basic eDp5"}, False),
        ("POST", CLAUSES, {}, False),
        ("OPTIONS", CLAUSES, {}, False),
        ("GET", "/", {}, False),
        ("GET", "/admin/", {}, False),
    ],
)
def test_what_an_api_read_is(rf, method, path, meta, expected):
    request = rf.generic(method, path, **meta)
    if "HTTP_COOKIE" not in meta:  # Django's request factory always sends one, empty without cookies; a client may not
        del request.META["HTTP_COOKIE"]
    assert is_api_read(request) is expected
