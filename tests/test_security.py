"""Security: admin brute-force protection and CSRF, CORS for read-only API GETs, and the response headers."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "a long curator passphrase"
ORIGIN = "https://app.example.org"
CLAUSES = "/api/v1/clauses/"


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "curator@example.org", PASSWORD)


def log_in(client, username, password, **extra):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, **extra)


class TestBruteForceProtection:
    def test_the_failure_limit_locks_out_even_the_right_password(self, curator, settings):
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert log_in(client, "curator", "guess").status_code == 200  # the form again, with its error
        assert log_in(client, "curator", "guess").status_code == 429
        locked = log_in(client, "curator", PASSWORD)
        assert locked.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_below_the_limit_the_right_password_still_works(self, curator, settings):
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            log_in(client, "curator", "guess")
        assert log_in(client, "curator", PASSWORD).status_code == 302

    def test_the_lockout_is_per_address_and_username(self, curator, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            log_in(Client(), "curator", "guess", REMOTE_ADDR="192.0.2.10")
        assert log_in(Client(), "curator", PASSWORD, REMOTE_ADDR="192.0.2.10").status_code == 429
        assert log_in(Client(), "curator", PASSWORD, REMOTE_ADDR="192.0.2.11").status_code == 302

    def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(self, curator, settings):
        settings.NUM_PROXIES = 1  # as DJANGO_NUM_PROXIES=1 sets it

        def via_proxy(client_address, password):
            # The proxy (10.0.0.2) appends the address it received the request from (tests/test_client_address.py).
            forwarded = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": client_address}
            return log_in(Client(), "curator", password, **forwarded)

        for _ in range(settings.AXES_FAILURE_LIMIT):
            via_proxy("8.8.8.8", "guess")
        assert via_proxy("8.8.8.8", PASSWORD).status_code == 429
        assert via_proxy("1.1.1.1", PASSWORD).status_code == 302

    def test_the_login_form_needs_its_csrf_token(self, curator):
        assert log_in(Client(enforce_csrf_checks=True), "curator", PASSWORD).status_code == 403

    def test_the_admin_needs_a_staff_login(self, client):
        response = client.get(reverse("admin:statements_clause_changelist"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.fixture(autouse=False)
def cors(settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]


@pytest.mark.usefixtures("cors")
class TestCors:
    def test_a_cross_origin_get_from_an_allowed_origin_is_shared(self, client):
        response = client.get(CLAUSES, HTTP_ORIGIN=ORIGIN)
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == ORIGIN
        assert "Access-Control-Allow-Credentials" not in response
        assert "Retry-After" in response["Access-Control-Expose-Headers"]

    def test_other_origins_are_not(self, client):
        response = client.get(CLAUSES, HTTP_ORIGIN="https://evil.example.com")
        assert response.status_code == 200
        assert "Access-Control-Allow-Origin" not in response

    def test_a_preflight_allows_reads_only(self, client):
        preflight = {"HTTP_ACCESS_CONTROL_REQUEST_METHOD": "GET", "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "accept"}
        response = client.options(CLAUSES, HTTP_ORIGIN=ORIGIN, **preflight)
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == ORIGIN
        assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}

    def test_errors_are_shared_too_so_clients_can_read_them(self, client):
        response = client.get("/api/v1/topics/nope/", HTTP_ORIGIN=ORIGIN)
        assert response.status_code == 404
        assert response["Access-Control-Allow-Origin"] == ORIGIN

    def test_nothing_outside_the_api_is_shared(self, client):
        response = client.get(reverse("admin:login"), HTTP_ORIGIN=ORIGIN)
        assert "Access-Control-Allow-Origin" not in response


REPRESENTATIVE_PAGES = [
    CLAUSES,
    "/api/v1/documents/china-belarus-joint-statement-2023-03-02/",
    "/api/v1/schema/",
    "/api/v1/docs/",
    "/api/v1/redoc/",
    "/api/v2/",
    "/admin/login/",
    "/admin/",
]


@pytest.mark.parametrize("url", REPRESENTATIVE_PAGES)
def test_every_page_carries_the_security_headers(client, url):
    response = client.get(url)
    assert response.status_code in {200, 302, 404}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline script, no eval
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "Strict-Transport-Security" not in response  # plain HTTP: HSTS only over TLS


@override_settings(SECURE_HSTS_SECONDS=3600, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_is_sent_over_tls(client):
    response = client.get(CLAUSES, secure=True)
    assert response["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"


@pytest.mark.parametrize("url", REPRESENTATIVE_PAGES)
def test_the_policy_built_once_is_the_one_django_csp_writes(rf, url):
    """config.content_security_policy builds the settings' policy once per process: it must write what django-csp's
    own middleware writes for the same request, and leave a response that already has the header alone."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    from config.content_security_policy import ContentSecurityPolicyMiddleware

    def written(middleware_class, response):
        request = rf.get(url)
        return middleware_class(lambda request: response).process_response(request, response)

    ours, theirs = written(ContentSecurityPolicyMiddleware, HttpResponse()), written(CSPMiddleware, HttpResponse())
    assert ours["Content-Security-Policy"] == theirs["Content-Security-Policy"]
    assert ours.has_header("Content-Security-Policy-Report-Only") == theirs.has_header(
        "Content-Security-Policy-Report-Only"
    )
    preset = HttpResponse(headers={"Content-Security-Policy": "default-src 'none'"})
    assert written(ContentSecurityPolicyMiddleware, preset)["Content-Security-Policy"] == "default-src 'none'"


def test_a_view_s_own_policy_still_goes_through_django_csp(rf):
    from django.http import HttpResponse

    from config.content_security_policy import ContentSecurityPolicyMiddleware

    response = HttpResponse()
    response._csp_update = {"img-src": ["https://images.example.org"]}
    written = ContentSecurityPolicyMiddleware(lambda request: response).process_response(rf.get("/"), response)
    assert "https://images.example.org" in written["Content-Security-Policy"]
