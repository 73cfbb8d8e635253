"""Structured request logging: one JSON line per request on stdout, tagged with a request id.

``RequestLogMiddleware`` gives every request an id (the caller's ``X-Request-ID`` when it is a
sane token, so a load balancer's id follows the request through the logs; a new one otherwise),
echoes it in the response's ``X-Request-ID`` header and logs method, path, status and duration
once the response is ready. ``RequestIdFilter`` stamps the same id on every other record logged
while the request runs (Django's own error records included), and ``JsonFormatter`` writes each
record as a single JSON line, tracebacks included, so log shippers never split an entry.
"""

import contextvars
import json
import logging
import os
import re
import time
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_META = "HTTP_" + REQUEST_ID_HEADER.upper().replace("-", "_")
# An incoming id is trusted only if it cannot forge log lines or headers: short, no spaces or quotes.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")

logger = logging.getLogger("statements.requests")

current_request_id = contextvars.ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is logged as a field.
_STANDARD_ATTRS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def request_id_from(request):
    """The caller's X-Request-ID when it is a valid token, else a new random id."""
    # request.META, not request.headers: building the headers mapping costs more than the rest of this middleware.
    incoming = request.META.get(REQUEST_ID_META, "")
    if VALID_REQUEST_ID.fullmatch(incoming):
        return incoming
    return new_request_id()


def new_request_id():
    """A random version-4 UUID in hex, as ``uuid.uuid4().hex`` makes it, without building the UUID object (its
    checks and integer conversions were a tenth of this middleware's instructions)."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # the version: 4
    raw[8] = raw[8] & 0x3F | 0x80  # the variant: RFC 4122
    return raw.hex()


class RequestLogMiddleware:
    """Tag the request with an id, echo it in the response and log one line when it is done.

    Put it first in MIDDLEWARE so the duration covers the whole stack and even requests answered
    by other middleware (health probes, redirects) are logged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id_from(request)
        token = current_request_id.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.id
            if logger.isEnabledFor(logging.INFO):  # the line's fields are not built for a log that drops it
                logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            current_request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Add the id of the request being handled (or None) to every record as ``request_id``."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object on one line: time, level, logger, message, extra fields, traceback."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        # default=str: Django attaches the request object to error records; log its repr, never fail.
        return json.dumps(entry, default=str, ensure_ascii=False)
