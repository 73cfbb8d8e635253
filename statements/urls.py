"""Pages for people and the Atom feed (the API lives under /api/, see statements.api.urls)."""

from django.urls import path, re_path

from . import pages
from .api.cache import cached_page
from .feeds import DocumentFeed

urlpatterns = [
    path("", pages.home, name="home"),
    path("documents/<slug:slug>/", pages.document_page, name="document-page"),
    # An eid is anything but a slash or a NUL byte (as in the API: PostgreSQL refuses NUL in a query).
    re_path(r"^documents/(?P<slug>[-a-zA-Z0-9_]+)/(?P<eid>[^/\x00]+)/$", pages.clause_citation, name="clause-citation"),
    path("topics/<slug:slug>/", pages.topic_page, name="topic-page"),
    # Computed once per data version, like every page (statements.api.cache.cached_page).
    path("feeds/documents.atom", cached_page()(DocumentFeed()), name="document-feed"),
]
