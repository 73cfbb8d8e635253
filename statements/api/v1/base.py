"""What every v1 view is: public and read-only."""

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
