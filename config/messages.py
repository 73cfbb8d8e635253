"""Django's messages (the admin's "Imported ..." notices), their storage made when a request first uses it.

Django's MessageMiddleware makes the storage for every request: a cookie storage, which builds a signer from the
secret key, and a session storage. The API and the reading pages never use it, and building it was ~2% of a search's
instructions. Here it is made on first use (adding a message, or a template listing them) and saved only then: a
storage never made has nothing to save, which is what Django's ``update`` does with an unused one.
"""

from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.utils.functional import SimpleLazyObject, empty

from config.api_reads import is_api_read


class LazyMessageMiddleware(MessageMiddleware):
    """MessageMiddleware, its storage made on first use; skipped for a read of the API, where no view adds or lists a
    message (config/api_reads.py)."""

    async_capable = False  # the project is served by WSGI; Django adapts it where needed

    def __call__(self, request):
        if is_api_read(request):
            return self.get_response(request)
        return super().__call__(request)

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response  # never used: nothing to save
        return super().process_response(request, response)
