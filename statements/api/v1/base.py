"""What every v1 view is: public and read-only."""

from rest_framework.permissions import AllowAny


class PublicReadOnlyMixin:
    """Every v1 endpoint is public and read-only: no authentication, GET/HEAD/OPTIONS only."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    http_method_names = ["get", "head", "options"]
