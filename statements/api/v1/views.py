"""The v1 read API: thin views (queryset, serializer, filterset, schema annotations).

Over 400 lines because every v1 endpoint's schema annotations sit on its view (drf-spectacular's way); the
examples and shared parameters are in ``openapi``, the logic in the selection, rows and serializers.
"""

from functools import partial

from django.conf import settings
from django.db import router
from django.db.models import Prefetch
from django.http import HttpResponsePermanentRedirect, StreamingHttpResponse
from django.urls import reverse as django_reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from statements import search_ranking
from statements.api.cache import cached_for
from statements.api.errors import InvalidParameters
from statements.api.pagination import Paging
from statements.api.throttling import ExportSlot
from statements.models import Clause, ClauseAlias, Document, Party, Topic
from statements.selection import ClauseSelection

from . import export, filters, rows
from .base import PublicReadOnlyMixin
from .openapi import (
    CLAUSE_FILTER_PARAMETERS,
    EXAMPLE_EID,
    ORDERING_TYPE,
    Q_DESCRIPTION,
    Q_TYPE,
    SLUG_PATH,
    cited_responses,
    detail_responses,
    error_responses,
    list_responses,
    parameter,
)
from .retired import missing_clause, missing_document, moved_topic
from .serializers import (
    ClauseSerializer,
    DocumentDetailSerializer,
    DocumentSerializer,
    PartySerializer,
    SearchResultSerializer,
    TopicDetailSerializer,
    TopicTreeSerializer,
)


class ClauseSelectionMixin:
    """A view of clauses that the request's query parameters select (statements.selection.ClauseSelection)."""

    def valid_filterset(self, request):
        """The view's filter set, bound to the query parameters and valid: else a 404 naming the parameters whose
        values name nothing, or a 400 naming each malformed one (filters.validate)."""
        filterset = filters.StrictFilterBackend().get_filterset(request, self.get_queryset(), self)
        filters.validate(filterset)
        return filterset

    def selection(self, request):
        """What the query parameters select."""
        return self.validated(request, lambda filterset: filterset.selection())

    def validated(self, request, read):
        """``read(filterset)`` of the view's valid filter set (``valid_filterset``), computed once per data version and
        set of filter parameters: a list is paged through with the same filters again and again, and building and
        validating the filter form cost a filtered page as much as its clauses did. Invalid parameters raise, and are
        never cached; what valid ones mean depends only on them and on the data."""
        params, filters = request.query_params, self.filterset_class.base_filters
        identity = (type(self).__name__, *((name, params.getlist(name)) for name in filters if name in params))
        return cached_for(request, "validated", identity, lambda: read(self.valid_filterset(request)))

    def selected(self, selection):
        """The clauses ``selection`` selects, in its order (an unevaluated queryset)."""
        return selection.queryset(self.get_queryset()).order_by(*selection.order_by)


class ClauseRowsListMixin(ClauseSelectionMixin):
    """A clause list built from rows (statements.api.v1.rows); ClauseSerializer documents it. It declares how it
    pages (``paging``); the page's clauses are those its selection selects, in constant time however deep."""

    paging = Paging.READING_ORDER

    def list(self, request, *args, **kwargs):
        selection = self.selection(request)
        using = router.db_for_read(Clause)
        if selection.matches_nothing(using):
            self.paginator.paginate_counted(request, lambda: 0)
            return self.get_paginated_response([])
        if self.paging is Paging.READING_ORDER and selection.document_order is not None:
            page = self.paginator.paginate_reading_order(selection, using, request)
            return self.get_paginated_response(rows.reading_order_page(page, request))
        return self.counted_page(request, selection, self.selected(selection))

    def counted_page(self, request, selection, queryset, *, q=None):
        """The page asked for of ``queryset``, its count cached under what identifies it."""
        identity = (queryset.db, selection.key(), q, settings.SEARCH_CANDIDATES if q is not None else None)
        offset, limit = self.paginator.paginate_counted(
            request, lambda: cached_for(request, "count", identity, queryset.count)
        )
        return self.get_paginated_response(rows.clause_dicts(queryset[offset : offset + limit], request, q=q))


@extend_schema(exclude=True)
class ApiRootView(PublicReadOnlyMixin, APIView):
    """/api/: the API versions."""

    def get(self, request):
        return Response({"versions": {"v1": reverse("v1:api-root", request=request)}, "current": "v1"})


@extend_schema(
    summary="Links to the v1 resources",
    description="Where each resource of version 1 lives, and its schema and documentation.",
    responses={
        200: inline_serializer(
            "ApiV1Root",
            {
                name: serializers.URLField()
                for name in ["documents", "clauses", "search", "topics", "parties", "schema", "docs", "redoc"]
            },
        ),
        **error_responses(404, 406),
    },
    tags=["api"],
)
class ApiV1RootView(PublicReadOnlyMixin, APIView):
    def get(self, request):
        names = {
            "documents": "document-list",
            "clauses": "clause-list",
            "search": "search",
            "topics": "topic-list",
            "parties": "party-list",
            "schema": "schema",
            "docs": "swagger-ui",
            "redoc": "redoc",
        }
        return Response({name: reverse(view, request=request) for name, view in names.items()})


@extend_schema(
    summary="List documents",
    description="Every document, newest first, with its metadata, parties, signatories and clause count.",
    responses=list_responses(DocumentSerializer),
    tags=["documents"],
)
class DocumentListView(PublicReadOnlyMixin, generics.ListAPIView):
    queryset = Document.objects.with_metadata().order_by("-date", "slug")
    serializer_class = DocumentSerializer
    filter_backends = ()


@extend_schema(
    summary="Retrieve a document",
    description="A document's metadata and its table of contents: the sections in order with their clauses' "
    "eids, citations and URLs. The clause text is on `clauses_url` (paginated) and on each clause URL, so "
    "the document stays small however long it is.",
    parameters=[SLUG_PATH],
    responses=cited_responses(DocumentDetailSerializer),
    tags=["documents"],
)
class DocumentDetailView(PublicReadOnlyMixin, generics.RetrieveAPIView):
    queryset = Document.objects.all()
    serializer_class = DocumentDetailSerializer  # documents the body, which rows.document_detail builds
    lookup_field = "slug"

    def retrieve(self, request, *args, **kwargs):
        body = rows.document_detail(self.kwargs["slug"], request)
        if body is None:
            raise missing_document(self.kwargs["slug"], self.request)
        return Response(body)


@extend_schema(
    summary="List a document's clauses",
    description="The document's clauses in reading order, each with its citation, section, topics and parties. "
    "To filter them, use `/api/v1/clauses/?document=<slug>&...`.",
    parameters=[SLUG_PATH],
    responses=cited_responses(ClauseSerializer, 400),
    tags=["clauses"],
)
class DocumentClauseListView(ClauseRowsListMixin, PublicReadOnlyMixin, generics.ListAPIView):
    queryset = Clause.objects.all()
    serializer_class = ClauseSerializer
    filter_backends = ()
    paging = Paging.COUNTED

    def selection(self, request):
        document_id = Document.objects.filter(slug=self.kwargs["slug"]).values_list("pk", flat=True).first()
        if document_id is None:
            raise missing_document(self.kwargs["slug"], self.request)
        return ClauseSelection(documents=(document_id,), order_by=("position",))


@extend_schema(
    summary="Retrieve a clause (its citable URL)",
    description="One clause by its citation `<slug>/<eid>`. The eid never changes once published. An alias eid "
    "(another citation of the clause, recorded when a re-import gave the paragraph the number it lacked) answers "
    "301 with the clause's own URL in `Location`.",
    parameters=[
        SLUG_PATH,
        parameter(
            "eid",
            "The clause's stable identifier within the document: the second half of its citation.",
            ("Paragraph 39 (Ukraine)", EXAMPLE_EID),
            location=OpenApiParameter.PATH,
        ),
    ],
    responses={
        **cited_responses(ClauseSerializer),
        301: OpenApiResponse(description="The eid is an alias: `Location` is the clause's URL under its own eid."),
    },
    tags=["clauses"],
)
class DocumentClauseDetailView(PublicReadOnlyMixin, generics.RetrieveAPIView):
    serializer_class = ClauseSerializer

    def retrieve(self, request, *args, **kwargs):
        slug, eid = self.kwargs["slug"], self.kwargs["eid"]
        clause = Clause.objects.with_context().filter(document__slug=slug, eid=eid).first()
        if clause is not None:
            return Response(self.get_serializer(clause).data)
        target = ClauseAlias.objects.clause_eid(slug, eid)
        if target is None:
            raise missing_clause(slug, eid, request)
        # Another citation of a clause (a better parse gave it a number): the clause's own URL, for good.
        url = request.build_absolute_uri(
            django_reverse("v1:document-clause-detail", kwargs={"slug": slug, "eid": target})
        )
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


@extend_schema(
    summary="List and filter clauses",
    description="All clauses of all documents, in reading order (document date, document, position) unless "
    "`ordering` says otherwise. Filters combine with AND; the values of one filter combine with OR.",
    parameters=[
        *CLAUSE_FILTER_PARAMETERS,
        parameter(
            "q",
            Q_DESCRIPTION + " Results keep their ordering; use /search/ to rank them.",
            ("Two words", "industrial park"),
            type=Q_TYPE,
        ),
        parameter(
            "ordering",
            "Order by date, position or updated_at, comma-separated; '-' for descending. Ties keep reading order.",
            ("Newest documents first", "-date"),
            ("Recently changed first", "-updated_at"),
            type=ORDERING_TYPE,
        ),
    ],
    responses=list_responses(ClauseSerializer),
    tags=["clauses"],
)
class ClauseListView(ClauseRowsListMixin, PublicReadOnlyMixin, generics.ListAPIView):
    queryset = Clause.objects.in_reading_order()
    serializer_class = ClauseSerializer
    filterset_class = filters.ClauseListFilterSet

    def selection(self, request):
        # Building and validating the filter form costs as much as the rest of the page: with no filter parameter
        # (all are optional) there is nothing to validate or filter.
        if not any(name in request.query_params for name in self.filterset_class.base_filters):
            return ClauseSelection()
        return super().selection(request)


EXPORT_FORMATS = {
    "jsonl": ("application/x-ndjson; charset=utf-8", export.export_jsonl),
    "csv": ("text/csv; charset=utf-8", export.export_csv),
}


class ExportNegotiation(BaseContentNegotiation):
    """The export picks its format from ``format=`` itself; its errors are always JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@extend_schema(
    summary="Export every matching clause (JSON Lines or CSV)",
    description="Every clause matching the filters of /clauses/ (no pagination), streamed: `format=jsonl` (the "
    "default) gives one clause object a line, exactly as /clauses/ renders it; `format=csv` gives a header row "
    "and one clause a row (RFC 4180: fields with commas, quotes or line breaks are quoted), with topics and "
    "parties as slugs and codes joined by ';'. In reading order unless `ordering` says otherwise.",
    parameters=[
        parameter(
            "format",
            "jsonl (JSON Lines, the default) or csv.",
            ("JSON Lines", "jsonl"),
            ("CSV", "csv"),
            type={"type": "string", "enum": list(EXPORT_FORMATS)},
        ),
        *CLAUSE_FILTER_PARAMETERS,
        parameter("q", Q_DESCRIPTION, ("Two words", "industrial park"), type=Q_TYPE),
        parameter(
            "ordering",
            "Order by date, position or updated_at, comma-separated; '-' for descending. Ties keep reading order.",
            ("Newest documents first", "-date"),
            type=ORDERING_TYPE,
        ),
    ],
    responses={
        (200, "application/x-ndjson"): OpenApiResponse(OpenApiTypes.STR, description="One clause (JSON) a line."),
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="A header row, then one clause a row."),
        **error_responses(400, 404, 406),
    },
    tags=["clauses"],
)
class ClauseExportView(ClauseSelectionMixin, PublicReadOnlyMixin, generics.GenericAPIView):
    queryset = Clause.objects.in_reading_order()
    filterset_class = filters.ClauseListFilterSet
    content_negotiation_class = ExportNegotiation
    pagination_class = None

    def get(self, request):
        name = request.query_params.get("format") or "jsonl"
        if name not in EXPORT_FORMATS:
            raise InvalidParameters({"format": f"Unknown format '{name}': give jsonl or csv."})
        content_type, write = EXPORT_FORMATS[name]
        selection = self.selection(request)
        slot = ExportSlot(request)
        refused = slot.acquire(request)
        if refused is not None:
            return refused
        response = ExportResponse(
            write(selection, self.selected(selection), request), content_type=content_type, slot=slot
        )
        response["Content-Disposition"] = f'attachment; filename="clauses.{name}"'
        return response


class ExportResponse(StreamingHttpResponse):
    """A streamed export that gives its ExportSlot back when closed (read to the end, or the client went away)."""

    def __init__(self, *args, slot, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot = slot

    def close(self):
        try:
            super().close()
        finally:
            self.slot.release()


@extend_schema(
    summary="Search clauses, ranked by relevance",
    description="Clauses matching `q`, most relevant first, each with its `rank` and a `snippet` marking the "
    "matches with <mark>…</mark>. Accepts the filters of /clauses/. PostgreSQL: full-text search "
    "(websearch_to_tsquery, English stemming, ts_rank_cd, ts_headline, GIN index). SQLite: full-text search "
    "(FTS5, the same query syntax, Porter stemming, no stop words, bm25, FTS5's snippet). Every match is ranked; "
    f"the best {settings.SEARCH_CANDIDATES:,} are served: `count` is the number of matches up to that many. "
    "Narrow a query with more words or filters, or list every match with /clauses/?q=.",
    parameters=[
        parameter(
            "q",
            Q_DESCRIPTION + " Required.",
            ("Two words", "industrial park"),
            ("A phrase", '"Ukraine crisis"'),
            type=Q_TYPE,
            required=True,
        ),
        *CLAUSE_FILTER_PARAMETERS,
    ],
    responses=list_responses(SearchResultSerializer),
    tags=["search"],
)
class SearchView(ClauseRowsListMixin, PublicReadOnlyMixin, generics.ListAPIView):
    queryset = Clause.objects.all()
    serializer_class = SearchResultSerializer
    filterset_class = filters.SearchFilterSet
    paging = Paging.RANKED

    def list(self, request, *args, **kwargs):
        selection, q = self.validated(request, filters.SearchFilterSet.search)
        using = router.db_for_read(Clause)
        remember = partial(cached_for, request)
        offset, limit = self.paginator.paginate_counted(
            request, lambda: search_ranking.match_count(using, selection, q, remember)
        )
        count = self.paginator.page.paginator.count
        return self.get_paginated_response(rows.ranked_page(selection, q, offset, limit, count, request, using))


@extend_schema(
    summary="The topic tree",
    description="The controlled vocabulary: top-level topics, each with its children, with clause and document "
    "counts. Not paginated: the vocabulary is small and a tree reads best whole.",
    responses={200: TopicTreeSerializer(many=True), **error_responses(404, 406)},
    tags=["topics"],
)
class TopicListView(PublicReadOnlyMixin, generics.ListAPIView):
    queryset = (
        Topic.objects.filter(parent=None)
        .with_tree_counts()
        .prefetch_related(Prefetch("children", queryset=Topic.objects.with_tree_counts()))
    )
    serializer_class = TopicTreeSerializer
    filter_backends = ()
    pagination_class = None


@extend_schema(
    summary="Retrieve a topic",
    description="A topic with its scope note, CAP major topic, parent, children and counts, and a link to its "
    "clauses. A retired topic's slug (the seed's vocabulary before issue 17) answers 301 with its new home's URL "
    "in `Location`; `?topic=<retired slug>` on the clause lists selects its new homes.",
    parameters=[
        parameter("slug", "The topic's slug.", ("Ukraine crisis", "ukraine-crisis"), location=OpenApiParameter.PATH)
    ],
    responses={
        **detail_responses(TopicDetailSerializer),
        301: OpenApiResponse(description="A retired topic's slug: `Location` is the URL of the topic it moved to."),
    },
    tags=["topics"],
)
class TopicDetailView(PublicReadOnlyMixin, generics.RetrieveAPIView):
    serializer_class = TopicDetailSerializer

    def retrieve(self, request, *args, **kwargs):
        slug = self.kwargs["slug"]
        topics = Topic.objects.with_tree_counts().select_related("parent")
        topic = topics.prefetch_related(Prefetch("children", queryset=Topic.objects.with_tree_counts())).filter(
            slug=slug
        )
        if topic:
            return Response(self.get_serializer(topic[0]).data)
        # A retired slug: its main home, for good (a split topic's other homes are in ?topic=<slug>).
        return moved_topic(slug, request, "topic-detail")


@extend_schema(
    summary="List parties",
    description="The states, organisations and groups that speak in statements: every UN member and observer "
    "state (ISO 3166-1 alpha-2 codes), a few other actors, and the organisations and groups that issue or sign "
    "statements, each with its names, members (for groups and organisations) and clause and document counts. "
    "Not paginated: the list is a few hundred parties.",
    responses={200: PartySerializer(many=True), **error_responses(404, 406)},
    tags=["parties"],
)
class PartyListView(PublicReadOnlyMixin, generics.ListAPIView):
    queryset = Party.objects.with_counts().with_names_and_members()
    serializer_class = PartySerializer
    filter_backends = ()
    pagination_class = None


@extend_schema(
    summary="Retrieve a party",
    parameters=[parameter("code", "The party's code.", ("China", "cn"), location=OpenApiParameter.PATH)],
    responses=detail_responses(PartySerializer),
    tags=["parties"],
)
class PartyDetailView(PublicReadOnlyMixin, generics.RetrieveAPIView):
    serializer_class = PartySerializer

    def get_object(self):
        party = Party.objects.with_counts().with_names_and_members().filter(code=self.kwargs["code"]).first()
        if party is None:
            raise NotFound(f"No party '{self.kwargs['code']}'.")
        return party
