"""The client's address: one function for every consumer (the API throttle, the login lockout, export limits).

Behind ``settings.NUM_PROXIES`` trusted proxies (env DJANGO_NUM_PROXIES), each proxy appends the address it
received the request from to ``X-Forwarded-For``, so the client is the NUM_PROXIES-th entry from the right: the
address the outermost trusted proxy saw. Everything to the left of it was written by the client and may be forged.
With 0 (the default) the header is ignored and the connection's address (REMOTE_ADDR) is the client's.

Two consumers that read the header differently can be played against each other (issue 14: django-axes took the
first entry, which the client writes, so a rotating forged entry escaped the login lockout); hence one function.
"""

from django.conf import settings


def client_address(request):
    """The address of the client that sent ``request`` (see the module docstring)."""
    remote_address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    if proxies <= 0:
        return remote_address
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if not forwarded:
        return remote_address
    # Fewer entries than proxies: the request came through fewer proxies than configured; the leftmost is the
    # earliest address any trusted proxy recorded.
    return forwarded[-min(proxies, len(forwarded))]
