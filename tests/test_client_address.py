"""One client address for every consumer: the login lockout and the API throttle agree behind a proxy.

Issue 14, finding 2: with DJANGO_NUM_PROXIES=1, django-axes took the client address from a different place in
X-Forwarded-For than the throttle did (the first entry, which the client writes), so 8 wrong passwords with a
rotating forged first entry, then the right one, logged in. Behind N trusted proxies the client is the Nth
address from the right: what the last proxy saw, which no client can forge.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "a long curator passphrase"
PROXY = "10.0.0.2"


@pytest.fixture
def behind_one_proxy(settings):
    settings.NUM_PROXIES = 1  # as DJANGO_NUM_PROXIES=1 sets it


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "curator@example.org", PASSWORD)


def through_the_proxy(client_address, forged):
    """What the proxy sends on: the client's own X-Forwarded-For (forged), then the address it saw."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{forged}, {client_address}"}


def log_in(password, client_address, forged):
    data = {"username": "curator", "password": password}
    return Client().post(reverse("admin:login"), data, **through_the_proxy(client_address, forged))


def test_a_forged_first_entry_does_not_escape_the_login_lockout(behind_one_proxy, curator, settings):
    for attempt in range(8):
        log_in("guess", "203.0.113.5", forged=f"198.51.100.{attempt}")
    locked = log_in(PASSWORD, "203.0.113.5", forged="198.51.100.99")
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out: the address is the client's, not the proxy's.
    assert log_in(PASSWORD, "203.0.113.6", forged="198.51.100.1").status_code == 302


def test_the_throttle_counts_the_same_client_as_the_lockout(behind_one_proxy, settings, api_client):
    settings.API_THROTTLING = True
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"}}
    cache.clear()
    statuses = [
        api_client.get("/api/v1/parties/", **through_the_proxy("203.0.113.5", forged=f"198.51.100.{n}")).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert api_client.get("/api/v1/parties/", **through_the_proxy("203.0.113.6", "198.51.100.1")).status_code == 200
