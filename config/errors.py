"""Error pages that never leak a traceback: the API's JSON error envelope under /api/, Django's page elsewhere.

With DEBUG off Django already hides tracebacks; this handler only chooses the format, so an API
client gets the same envelope as for every other API error (statements/api/errors.py) instead of
an HTML page. The traceback goes to the log, as one JSON line with the request id that the client
also sees in the X-Request-ID header.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.views.defaults import server_error as html_server_error

from config.api_reads import API_PREFIX
from statements.api.errors import error_body

logger = logging.getLogger(__name__)
SERVER_ERROR_DETAIL = "The server failed to answer this request. Quote the X-Request-ID header when reporting it."


def server_error(request, *args, **kwargs):
    """handler500: the JSON envelope under /api/, Django's default template elsewhere."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(500, "server_error", SERVER_ERROR_DETAIL), status=500)
    return html_server_error(request, *args, **kwargs)


DATABASE_UNAVAILABLE_DETAIL = "The database is unavailable for a moment. Retry after the seconds in Retry-After."


class DatabaseUnavailableMiddleware:
    """A database outage answers 503 with Retry-After, never a 500: JSON in the error envelope under /api/.

    OperationalError and InterfaceError are what Django raises when the database cannot be reached, drops
    the connection, or cancels a query at the statement timeout. The connection is marked unusable and
    closed at the end of the request (CONN_HEALTH_CHECKS), so the first request after the database is
    back gets a fresh one: no restart needed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("database unavailable: %s", exception, exc_info=exception)
        if request.path.startswith(API_PREFIX):
            response = JsonResponse(error_body(503, "database_unavailable", DATABASE_UNAVAILABLE_DETAIL), status=503)
        else:
            response = HttpResponse(DATABASE_UNAVAILABLE_DETAIL, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)
        return response
