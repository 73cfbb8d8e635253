"""/api/: the version list, version 1 under /api/v1/ (namespace "v1"), and a JSON 404 for anything else."""

from django.urls import include, path, re_path

from .errors import api_not_found
from .v1.views import ApiRootView

urlpatterns = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("v1/", include(("statements.api.v1.urls", "v1"), namespace="v1")),
    # [\s\S], not ".": a path with a newline (%0A) is no API resource either (Django's HTML 404 answered it before).
    re_path(r"^(?P<path>[\s\S]*)$", api_not_found),
]
