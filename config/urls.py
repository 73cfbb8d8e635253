from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import health

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/", include("statements.api.urls")),
    # Probes for orchestrators; config.health.HealthProbeMiddleware answers them first (see its docstring).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("statements.urls")),
]

# No traceback ever reaches a client: JSON 500 under /api/, Django's plain page elsewhere.
handler500 = "config.errors.server_error"
