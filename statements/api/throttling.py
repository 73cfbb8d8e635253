"""Rate limits for the API: DRF's throttles, with rates read when a request arrives and an explicit off switch.

The rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (env ``API_THROTTLE_ANON`` and
``API_THROTTLE_USER``). DRF reads them once, when its throttle classes are imported; reading them per
request lets a test or a deployment change them with the settings. ``API_THROTTLING = False`` switches
throttling off (the test suite and the load script only). The counters live in the default cache: per
process with the local-memory cache, shared by every process and container with ``REDIS_URL``.
"""

from django.conf import settings
from rest_framework import throttling
from rest_framework.settings import api_settings


class ConfigurableRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if not settings.API_THROTTLING:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonRateThrottle(ConfigurableRateMixin, throttling.AnonRateThrottle):
    """Anonymous clients, by IP address (``API_THROTTLE_ANON``, default 120/min)."""


class UserRateThrottle(ConfigurableRateMixin, throttling.UserRateThrottle):
    """Logged-in users, by user id (``API_THROTTLE_USER``, default 600/min); anonymous clients by IP as above."""
