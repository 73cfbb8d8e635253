"""Content negotiation: DRF's, with the answer to the commonest request worked out without parsing it.

Nearly every request to the API says nothing about the representation it wants: no ``Accept`` header (wrk, curl,
most HTTP libraries) or ``Accept: */*``, and no ``?format=``. DRF parses the header into media types and matches them
against every renderer for each request, which cost a page about as much as reversing its URLs (cProfile); for those
requests its answer is always the first renderer and that renderer's media type, so it is given at once. Any other
request (another ``Accept``, a ``?format=``, a format suffix) is negotiated by DRF as before, 406 included.
"""

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings

# What "anything will do" looks like in an Accept header, DRF's default when there is none included.
ANY_MEDIA_TYPE = {None, "*/*"}


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation (settings ``DEFAULT_CONTENT_NEGOTIATION_CLASS``), with a request that accepts anything and
    names no format answered without parsing: the first renderer, in its own media type (what DRF answers)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if (
            renderers
            and format_suffix is None
            and request.META.get("HTTP_ACCEPT") in ANY_MEDIA_TYPE
            and api_settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
