"""Health probes for orchestrators and load balancers.

- ``/healthz``: liveness. The process is up and answering; touches no database, so a database
  outage never gets healthy web containers restarted.
- ``/readyz``: readiness. Every configured database (the primary and, when set, the replica)
  answers a trivial query; otherwise 503, so the load balancer stops sending traffic here.

Probes reach a container by its own address (a pod IP, a container name), which is rarely in
ALLOWED_HOSTS, and often over plain HTTP behind a TLS-terminating proxy. ``HealthProbeMiddleware``
therefore answers these two paths before SecurityMiddleware (HTTPS redirect) and CommonMiddleware
(host validation) run. That is safe because the answers never use the Host header: no redirect,
no absolute URL, no cookie, nothing cacheable by host. Every other path still goes through host
validation. The same views are routed in config/urls.py too, so they reverse like any URL.
"""

import logging

from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """Liveness: 200 as long as the process can answer."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Readiness: 200 when every database answers ``SELECT 1``, 503 naming the ones that do not."""
    databases = {}
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            databases[alias] = "ok"
        except Exception:
            # Any failure means "not ready"; the reason goes to the log, never to the caller.
            logger.exception("readiness check failed for database %r", alias)
            databases[alias] = "unavailable"
    ready = all(state == "ok" for state in databases.values())
    body = {"status": "ok" if ready else "unavailable", "databases": databases}
    return JsonResponse(body, status=200 if ready else 503)


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthProbeMiddleware:
    """Answer GET/HEAD on the probe paths before host validation and the HTTPS redirect (see module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
