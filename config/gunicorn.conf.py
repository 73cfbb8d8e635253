"""gunicorn settings, from environment variables (bin/start passes this file with --config).

GUNICORN_WORKERS processes x GUNICORN_THREADS threads serve GUNICORN_BIND (default 0.0.0.0:$PORT): with more than one
thread, gunicorn's threaded worker (gthread), which keeps connections alive between requests (one thread: its sync
worker, which closes the connection after every response).
Requests are logged by the Django middleware (config/request_logging.py), so gunicorn's access log
stays off and its own messages (boot, worker restarts) go to stdout as the same JSON lines.
"""

import gc
import os

from gunicorn.glogging import Logger


def from_env(name, default):
    """The variable's value, or ``default`` when it is unset or empty (as in a copied .env.example)."""
    return os.environ.get(name) or default


bind = from_env("GUNICORN_BIND", f"0.0.0.0:{from_env('PORT', '8000')}")
workers = int(from_env("GUNICORN_WORKERS", "2"))
threads = int(from_env("GUNICORN_THREADS", "4"))
timeout = int(from_env("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(from_env("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Keep-alive above the load balancer's idle timeout avoids 502s on reused connections.
keepalive = int(from_env("GUNICORN_KEEPALIVE", "75"))
accesslog = None


class WithoutAccessLog(Logger):
    """gunicorn's logger, its access log off. gunicorn turns its access log on whenever a logging configuration is
    given (``logconfig_dict``, below) and then builds every request's line (a dict of its headers and timings) for a
    logger that drops it: 6% of the time a worker spends on a rare-word search (cProfile)."""

    def access(self, resp, req, environ, request_time):
        """Nothing: the Django middleware has logged the request."""


logger_class = WithoutAccessLog
# gunicorn's control socket lives in $HOME, shared by every gunicorn of the user; nothing here uses it.
control_socket_disable = True

# The same JSON lines as Django's LOGGING (config/settings.py), kept apart on purpose: gunicorn configures its logging
# in the master before Django is loaded, and its own records belong to no request (no request-id filter).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.request_logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}


def post_worker_init(worker):
    """Once a worker has loaded Django and its URLconf (every view, serializer and schema class), hide all of it
    from the garbage collector (``gc.freeze``): a full collection would otherwise walk those hundreds of thousands
    of objects again and again. Measured with callgrind: 14% of the instructions of an uncached page of clauses."""
    from django.urls import get_resolver

    from statements.api.v1.parameters import documented_operations

    get_resolver().url_patterns  # noqa: B018 -- imports the URLconf, as the first request would
    documented_operations()  # the parameters each operation reads, from the schema: once, before any request
    gc.collect()
    gc.freeze()
