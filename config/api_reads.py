"""The middleware an anonymous read of the API does not need, skipped for it (config/settings.py MIDDLEWARE).

An API read here is a GET or HEAD under /api/ that carries no cookie and no Authorization header: no session, no
CSRF cookie, no credentials. For such a request:

- Messages (``LazyMessageMiddleware``, config/messages.py): no API view adds or lists a message.
- History (django-simple-history's ``HistoryRequestMiddleware``): it names the user behind a model's saved history;
  the API saves no model.

Each costs a read of the API a Python call or more on the way in and out (callgrind: see the README's performance
notes), for nothing. Every other request, the admin's and the pages' included, goes through them as before.
Sessions and authentication stay for every request: the throttles read ``request.user`` (which, evaluated, adds
``Vary: Cookie``). CSRF's and django-axes' middleware stay too: their system checks (``check --deploy``'s security.W003,
axes.W002) look for them by name in MIDDLEWARE.
"""

from simple_history import middleware as simple_history

# Where the API lives: every path under it is the API's (its errors, throttles and reads; config/errors.py,
# config/query_strings.py, statements/api/throttling.py).
API_PREFIX = "/api/"
READ_METHODS = frozenset({"GET", "HEAD"})


def is_api_read(request):
    """True for a GET or HEAD under /api/ with no cookie and no Authorization header (see the module's doc)."""
    meta = request.META
    return (
        request.method in READ_METHODS
        and not meta.get("HTTP_COOKIE")  # absent or empty (Django's test client sends an empty one)
        and not meta.get("HTTP_AUTHORIZATION")
        and request.path.startswith(API_PREFIX)
    )


def HistoryRequestMiddleware(get_response):
    """django-simple-history's, skipped for an API read (see the module's doc)."""
    history = simple_history.HistoryRequestMiddleware(get_response)

    def history_unless_api_read(request):
        return get_response(request) if is_api_read(request) else history(request)

    return history_unless_api_read
