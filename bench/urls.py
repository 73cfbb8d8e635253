"""The production URLs plus /bench/ceiling/: the stack's ceiling, for benchmark ratios (bench/settings.py only)."""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as production_urlpatterns

_body = None


def ceiling(request):
    """Precomputed JSON of the size of a real page (the file bench/run.py saves): what Django alone costs."""
    global _body
    if _body is None:
        _body = Path(os.environ["BENCH_CEILING_FILE"]).read_bytes()
    return HttpResponse(_body, content_type="application/json")


urlpatterns = [path("bench/ceiling/", ceiling), *production_urlpatterns]
