"""What every v1 view is: public and read-only, its response freed as soon as it is sent."""

from rest_framework.permissions import AllowAny

from .parameters import refuse_unknown_parameters


class PublicReadOnlyMixin:
    """Every v1 endpoint is public and read-only: no authentication, GET/HEAD/OPTIONS only."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    http_method_names = ["get", "head", "options"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        refuse_unknown_parameters(request)  # a parameter no operation reads is a 400, not a new cache key

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if hasattr(response, "add_post_render_callback"):  # DRF's Response (not a streamed export)
            response.add_post_render_callback(self.release)
        return response

    def release(self, response):
        """Once the body is rendered, drop the references that made the response part of a reference cycle (DRF
        keeps the view in ``response.renderer_context`` and the response in ``view.response``): it is then freed as
        soon as the server has sent it, rather than by the next garbage collection, which ran every six or seven
        pages of clauses and freed each of them (~0.5 ms a collection, a page's data and body) while walking what
        the request in flight held."""
        response.renderer_context = None
        self.response = None
