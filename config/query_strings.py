"""A NUL character in a query string is refused with a 400 before any view runs (the API excepted).

No stored text holds a NUL (statements/characters.py refuses it), so a query parameter holding one can match
nothing; and PostgreSQL cannot take it in a query at all: the admin's search and autocomplete (``term=%00``)
answered it with a 500. The API names the offending parameter in its own error envelope (its filters and
search refuse NUL), so /api/ is left to it.
"""

from django.http import HttpResponseBadRequest

from config.api_reads import API_PREFIX

DETAIL = "A query parameter holds a NUL character, which no text here can hold: remove it."


class NulInQueryStringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX) and any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(DETAIL, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
