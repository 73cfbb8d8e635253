"""Rate limits for the API: DRF's throttles, checked for every request under /api/ by a middleware.

A middleware, not the views' ``throttle_classes``: the response cache (statements/api/cache.py) answers
repeated GETs before any view runs, and a limit that cached responses escaped would be no limit. The
rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (env ``API_THROTTLE_ANON`` and
``API_THROTTLE_USER``), read per request so tests and deployments can change them with the settings.
``API_THROTTLING = False`` switches throttling off (the test suite and the load and bench scripts only).
The counters live in the default cache: per process with the local-memory cache, shared by every process
and container with ``REDIS_URL``.
"""

import math

from django.conf import settings
from django.http import JsonResponse
from rest_framework import throttling
from rest_framework.settings import api_settings

from .errors import error_body


class ConfigurableRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonRateThrottle(ConfigurableRateMixin, throttling.AnonRateThrottle):
    """Anonymous clients, by IP address (``API_THROTTLE_ANON``, default 120/min)."""


class UserRateThrottle(ConfigurableRateMixin, throttling.UserRateThrottle):
    """Logged-in users (a curator's session), by user id (``API_THROTTLE_USER``, default 600/min)."""


def throttled(wait):
    """The 429 in the error envelope, with Retry-After in whole seconds."""
    seconds = max(1, math.ceil(wait or 1))
    detail = f"Request was throttled. Expected available in {seconds} second{'s' if seconds != 1 else ''}."
    response = JsonResponse(error_body(429, "throttled", detail), status=429)
    response["Retry-After"] = str(seconds)
    return response


class ApiThrottleMiddleware:
    """Every request under /api/ counts against its client's rates; over a rate it gets a 429 (before the cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.API_THROTTLING and request.path.startswith("/api/"):
            throttles = [AnonRateThrottle(), UserRateThrottle()]
            waits = [throttle.wait() for throttle in throttles if not throttle.allow_request(request, None)]
            if waits:
                return throttled(max(wait or 0 for wait in waits))
        return self.get_response(request)
