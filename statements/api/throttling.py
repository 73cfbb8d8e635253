"""Rate limits for the API and the pages for people: DRF's throttles, checked for every request by a middleware.

A middleware, not the views' ``throttle_classes``: the response caches (statements/api/cache.py) answer repeated
GETs before any view runs, and a limit that cached responses escaped would be no limit. Every path counts except
the admin's (staff only, with its own login lockout); the probes and static files are answered before this
middleware runs. The rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (env ``API_THROTTLE_ANON`` and
``API_THROTTLE_USER``), read per request so tests and deployments can change them with the settings; a client is
its address as ``config.client_address`` reads it (the same as the login lockout's). ``API_THROTTLING = False``
switches throttling off (the test suite and the load and bench scripts only). The counters live in the default
cache: per process with the local-memory cache, shared by every process and container with ``REDIS_URL``.
"""

import contextlib
import math
import threading

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from rest_framework import throttling
from rest_framework.settings import api_settings

from config.api_reads import API_PREFIX
from config.client_address import client_address

from .errors import error_body


class ConfigurableRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_ident(self, request):
        return client_address(request)


class AnonRateThrottle(ConfigurableRateMixin, throttling.AnonRateThrottle):
    """Anonymous clients, by address (``API_THROTTLE_ANON``, default 120/min)."""


class UserRateThrottle(ConfigurableRateMixin, throttling.UserRateThrottle):
    """Logged-in users (a curator's session), by user id (``API_THROTTLE_USER``, default 600/min)."""


def too_many(request, code, detail, wait):
    """A 429 with Retry-After in whole seconds: the error envelope under /api/, plain text on pages for people.

    ``detail`` may name ``{seconds}`` and ``{s}`` (the plural's s).
    """
    seconds = max(1, math.ceil(wait or 1))
    text = detail.format(seconds=seconds, s="" if seconds == 1 else "s")
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(error_body(429, code, text), status=429)
    else:
        response = HttpResponse(text, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(seconds)
    return response


THROTTLED_DETAIL = "Request was throttled. Expected available in {seconds} second{s}."


class ThrottleMiddleware:
    """Every request but the admin's counts against its client's rates; over a rate it gets a 429 (before the
    caches can answer)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        if settings.API_THROTTLING and not request.path.startswith(self.admin_prefix):
            throttles = [AnonRateThrottle(), UserRateThrottle()]
            waits = [throttle.wait() for throttle in throttles if not throttle.allow_request(request, None)]
            if waits:
                return too_many(request, "throttled", THROTTLED_DETAIL, max(wait or 0 for wait in waits))
        return self.get_response(request)


# --- Exports: a bounded number at a time, per process and per client --------------------------------------------

TOO_MANY_EXPORTS_DETAIL = (
    "Too many exports at once ({limit}). Retry in {{seconds}} second{{s}}, or narrow the export with filters."
)


class ExportSlot:
    """One running export's place: at most ``API_EXPORTS_PER_PROCESS`` exports stream at once in a process (so a
    few exports, or a few clients reading them slowly, never hold every worker thread: the rest serve the site and
    the probes), and at most ``API_EXPORTS_PER_CLIENT`` per client (counted in the cache, so across processes with
    Redis). Beyond either, a 429 with Retry-After. The place is given back when the response is closed: the export
    has been read to the end, or the client went away.
    """

    lock = threading.Lock()
    running = 0
    # A count left by a process that died mid-export is forgotten after this long.
    CLIENT_COUNT_SECONDS = 3600

    def __init__(self, request):
        self.client_key = "statements:exports:" + client_address(request)
        self.held = False

    def acquire(self, request):
        """Take the place: None, or the 429 to answer with."""
        per_process, per_client = settings.API_EXPORTS_PER_PROCESS, settings.API_EXPORTS_PER_CLIENT
        with ExportSlot.lock:
            if ExportSlot.running >= per_process:
                return too_many(request, "too_many_exports", TOO_MANY_EXPORTS_DETAIL.format(limit="on this server"),
                                settings.API_EXPORT_RETRY_AFTER)  # fmt: skip
            ExportSlot.running += 1
        cache.add(self.client_key, 0, self.CLIENT_COUNT_SECONDS)
        if cache.incr(self.client_key) > per_client:
            self.give_back_places()
            detail = TOO_MANY_EXPORTS_DETAIL.format(limit=f"{per_client} per client")
            return too_many(request, "too_many_exports", detail, settings.API_EXPORT_RETRY_AFTER)
        self.held = True
        return None

    def release(self):
        """Give the place back (once)."""
        if self.held:
            self.held = False
            self.give_back_places()

    def give_back_places(self):
        with ExportSlot.lock:
            ExportSlot.running -= 1
        with contextlib.suppress(ValueError):  # expired meanwhile
            cache.decr(self.client_key)
