"""The one JSON error envelope every 4xx of the API answers with.

Every error body has the same shape, so clients handle errors in one place::

    {"status": 400, "code": "invalid_parameters", "detail": "...",
     "errors": [{"parameter": "topic", "message": "Unknown topic 'x'. ..."}]}

``errors`` names each offending query parameter: a 400 the malformed ones, a 404 those whose values name nothing
(empty for other 404s, 405 and 406).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

INVALID_PARAMETERS_DETAIL = "One or more query parameters are invalid; see errors."


class InvalidParameters(exceptions.ValidationError):
    """A 400 naming the offending query parameters: ``InvalidParameters({"page": "Page 9 is out of range."})``."""

    def __init__(self, errors):
        super().__init__({parameter: [message] for parameter, message in errors.items()})


class UnknownValues(exceptions.NotFound):
    """A 404 naming the query parameters whose well-formed values name nothing: ``UnknownValues({"topic": "Unknown
    topic 'x'. ..."})``, or a page beyond the last. The request was well formed (a 400 is for what the schema forbids);
    what it asks for is not there, as with an unknown slug in the path."""

    def __init__(self, errors):
        self.parameters = {parameter: [message] for parameter, message in errors.items()}
        super().__init__("Nothing matches one or more query parameters; see errors.")


class Gone(exceptions.APIException):
    """A 410 for a retired document or clause: the envelope plus ``retired``, what it was and where its text went."""

    status_code = status.HTTP_410_GONE
    default_code = "gone"

    def __init__(self, detail, retired):
        super().__init__(detail)
        self.retired = retired


def error_body(status_code, code, detail, errors=()):
    return {"status": status_code, "code": code, "detail": detail, "errors": list(errors)}


def parameter_errors(detail):
    """Flatten a ValidationError's detail ({parameter: [messages]} or [messages]) into the envelope's errors."""
    if isinstance(detail, dict):
        return [
            {"parameter": None if parameter == "non_field_errors" else parameter, "message": str(message)}
            for parameter, messages in detail.items()
            for message in (messages if isinstance(messages, list) else [messages])
        ]
    return [{"parameter": None, "message": str(message)} for message in detail]


def exception_handler(exc, context):
    """DRF's handler, with every error body rewritten into the envelope."""
    if isinstance(exc, Http404):  # as DRF's handler does, so the envelope gets NotFound's code
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(
            response.status_code, "invalid_parameters", INVALID_PARAMETERS_DETAIL, parameter_errors(exc.detail)
        )
    elif isinstance(exc, Gone):
        response.data = {**error_body(response.status_code, "gone", str(exc.detail)), "retired": exc.retired}
    elif isinstance(exc, UnknownValues):
        response.data = error_body(response.status_code, "not_found", str(exc.detail), parameter_errors(exc.parameters))
    else:
        response.data = error_body(response.status_code, exc.default_code, str(exc.detail))
    return response


@csrf_exempt  # nothing here reads a session; a POST to /api/v2/ must get this 404, not the CSRF 403 page
def api_not_found(request, path=""):
    """Anything under /api/ that is no API resource (an unknown version such as /api/v2/): a 404 in the envelope.

    The catch-all would hide APPEND_SLASH from CommonMiddleware, so it redirects ``/api/v1/clauses`` to
    ``/api/v1/clauses/`` itself.
    """
    if settings.APPEND_SLASH and not request.path_info.endswith("/") and request.method in {"GET", "HEAD"}:
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    detail = f"Nothing at {request.path}. The API versions are listed at /api/; version 1 lives under /api/v1/."
    return JsonResponse(error_body(status.HTTP_404_NOT_FOUND, "not_found", detail), status=status.HTTP_404_NOT_FOUND)
