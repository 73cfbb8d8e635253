"""Error pages that never leak a traceback: JSON for the API, Django's plain page elsewhere.

With DEBUG off Django already hides tracebacks; this handler only chooses the format, so an API
client gets DRF's ``{"error": "Server Error (500)"}`` instead of an HTML page. The traceback
goes to the log (one JSON line, with the request id that the client also sees in X-Request-ID).
"""

from django.views.defaults import server_error as html_server_error
from rest_framework.exceptions import server_error as json_server_error

API_PREFIX = "/api/"


def server_error(request, *args, **kwargs):
    """handler500: JSON under /api/, Django's default template elsewhere."""
    if request.path.startswith(API_PREFIX):
        return json_server_error(request, *args, **kwargs)
    return html_server_error(request, *args, **kwargs)
