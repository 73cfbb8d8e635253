"""URLs of version 1, mounted under /api/v1/ in the "v1" namespace (NamespaceVersioning)."""

from django.urls import path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import analysis_views, views
from .parameters import GENERATING


class EidConverter:
    """An eid in a path: anything but a slash or a NUL byte (PostgreSQL refuses NUL in a query: it was a 500)."""

    regex = "[^/\x00]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(EidConverter, "eid")


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, generated one request at a time: drf-spectacular's generator is not thread-safe, and
    concurrent requests for the schema failed with 500s (statements.api.v1.parameters shares the lock)."""

    def _get_schema_response(self, request):
        with GENERATING:
            return super()._get_schema_response(request)


urlpatterns = [
    path("", views.ApiV1RootView.as_view(), name="api-root"),
    path("documents/", views.DocumentListView.as_view(), name="document-list"),
    path("documents/<slug:slug>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path("documents/<slug:slug>/clauses/", views.DocumentClauseListView.as_view(), name="document-clause-list"),
    path(
        "documents/<slug:slug>/clauses/<eid:eid>/",
        views.DocumentClauseDetailView.as_view(),
        name="document-clause-detail",
    ),
    path("clauses/", views.ClauseListView.as_view(), name="clause-list"),
    path("clauses/export/", views.ClauseExportView.as_view(), name="clause-export"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("parties/", views.PartyListView.as_view(), name="party-list"),
    path("parties/<slug:code>/", views.PartyDetailView.as_view(), name="party-detail"),
    # Analysis (issue 9)
    path("compare/", analysis_views.CompareView.as_view(), name="compare"),
    path("documents/<slug:slug>/akn/", analysis_views.DocumentAknView.as_view(), name="document-akn"),
    path(
        "documents/<slug:slug>/clauses/<eid:eid>/similar/",
        analysis_views.SimilarClausesView.as_view(),
        name="clause-similar",
    ),
    path("topics/<slug:slug>/stats/", analysis_views.TopicStatsView.as_view(), name="topic-stats"),
    path("schema/", SchemaView.as_view(api_version="v1"), name="schema"),
    # The split view serves Swagger UI's set-up script from ?script, not inline: the Content-Security-Policy allows it.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="statements/api/redoc.html"),
        name="redoc",
    ),
]
