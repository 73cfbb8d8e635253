"""Pages for people and the Atom feed (the API lives under /api/, see statements.api.urls)."""

from django.urls import path

from . import pages
from .api.cache import cached_page
from .feeds import DocumentFeed

urlpatterns = [
    path("", pages.home, name="home"),
    path("documents/<slug:slug>/", pages.document_page, name="document-page"),
    path("topics/<slug:slug>/", pages.topic_page, name="topic-page"),
    # Computed once per data version, like every page (statements.api.cache.cached_page).
    path("feeds/documents.atom", cached_page()(DocumentFeed()), name="document-feed"),
]
