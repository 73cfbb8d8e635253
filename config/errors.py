"""Error pages that never leak a traceback: the API's JSON error envelope under /api/, Django's page elsewhere.

With DEBUG off Django already hides tracebacks; this handler only chooses the format, so an API
client gets the same envelope as for every other API error (statements/api/errors.py) instead of
an HTML page. The traceback goes to the log, as one JSON line with the request id that the client
also sees in the X-Request-ID header.
"""

from django.http import JsonResponse
from django.views.defaults import server_error as html_server_error

from statements.api.errors import error_body

API_PREFIX = "/api/"
SERVER_ERROR_DETAIL = "The server failed to answer this request. Quote the X-Request-ID header when reporting it."


def server_error(request, *args, **kwargs):
    """handler500: the JSON envelope under /api/, Django's default template elsewhere."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(500, "server_error", SERVER_ERROR_DETAIL), status=500)
    return html_server_error(request, *args, **kwargs)
