"""What every v1 view shares (statements/api/v1/base.py)."""

import gc
import weakref

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


class RecordingHandler(WSGIHandler):
    """Django's WSGI handler, as a server calls it, keeping a weak reference to each response it makes."""

    def __init__(self):
        super().__init__()
        self.responses = []

    def get_response(self, request):
        response = super().get_response(request)
        self.responses.append(weakref.ref(response))
        return response


def served(handler, path):
    """GET ``path`` as a WSGI server would (the environ RequestFactory makes): the body read whole, then the response
    closed."""
    statuses = []
    # Django's test client does the same: closing the connection at the end of a request would end the test's
    # transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = handler(
            RequestFactory().get(path).environ, lambda status, headers, exc_info=None: statuses.append(status)
        )
        body = b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return statuses[0], body


@pytest.mark.parametrize(
    "path", ["/api/v1/clauses/?page_size=50", "/api/v1/search/?q=cooperation", "/api/v1/clauses/?page=0"]
)
def test_a_response_is_freed_once_sent_not_left_to_the_garbage_collector(path):
    handler = RecordingHandler()
    gc.collect()
    gc.disable()
    try:
        status, body = served(handler, path)
        assert body and status.split()[0] in {"200", "400"}
        assert [response() for response in handler.responses] == [None]
    finally:
        gc.enable()
