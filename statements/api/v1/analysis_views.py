"""The analysis endpoints of v1: compare documents, find reused language, topic statistics, Akoma Ntoso export.

Thin views: the work is done in statements.compare, statements.similarity, statements.stats and
statements.akn; parameters are read by serializers, so bad input is a 400 naming the parameter.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from statements import akn, compare, similarity, stats
from statements.models import Clause, Topic

from . import analysis_serializers as s
from .base import PublicReadOnlyMixin
from .filters import SLUG_ITEM, list_pattern
from .openapi import (
    ARTICLE,
    COMPARE_EXAMPLE,
    EXAMPLE_DOCUMENT,
    READOUT,
    SIMILAR_EXAMPLE,
    SLUG_PATH,
    STATS_EXAMPLE,
    error_responses,
    parameter,
    string,
)
from .retired import missing_clause, missing_document, moved_topic


@extend_schema(
    summary="Compare documents topic by topic",
    description="Lines two or more documents up topic by topic: for each topic any of them covers (in tree order: "
    "each top-level topic, then its children), each document's clauses on it with their citations and verbatim "
    "text; and, for each document, the topics it leaves out that another covers. A top-level topic's row gathers "
    "the clauses on it and on any of its children (as `/clauses/?topic=` does), so a clause appears under its "
    "topic and again under that topic's parent.",
    parameters=[
        parameter(
            "documents",
            f"The documents to compare: 2 to {s.MAX_COMPARED_DOCUMENTS} slugs, comma-separated or repeated, in the "
            "order to show them (a slug given twice is compared once). Fewer than two, or more than "
            f"{s.MAX_COMPARED_DOCUMENTS}, is a 400; a slug that names no document a 404 naming `documents`.",
            ("The readout and the Joint Statement", f"{READOUT},{EXAMPLE_DOCUMENT}"),
            ("All three documents", f"{ARTICLE},{READOUT},{EXAMPLE_DOCUMENT}"),
            type=string(list_pattern(SLUG_ITEM, 2, s.MAX_COMPARED_DOCUMENTS)),
            required=True,
        )
    ],
    responses={
        200: OpenApiResponse(s.ComparisonSerializer, examples=[COMPARE_EXAMPLE]),
        **error_responses(400, 404, 406),
    },
    tags=["analysis"],
)
class CompareView(PublicReadOnlyMixin, APIView):
    def get(self, request):
        parameters = s.CompareParametersSerializer(data=request.query_params)
        parameters.is_valid(raise_exception=True)
        comparison = compare.compare_documents(parameters.validated_data["documents"])
        return Response(s.ComparisonSerializer(comparison, context={"request": request}).data)


@extend_schema(
    summary="Clauses of other documents that reuse this clause's language",
    description="Clauses in other documents whose language overlaps this clause's, best first, each with a score "
    "and the shared passages (runs of at least "
    f"{similarity.MIN_RUN_WORDS} identical words) as character offsets into both texts and marked with "
    "<mark>…</mark>. The score is the share of the shorter text's words inside shared passages (1.0: one "
    "contains the other). Candidates come from an index of word shingles (runs of 4 words) that the database "
    "keeps on PostgreSQL; on SQLite, shingles are compared in Python.",
    parameters=[
        SLUG_PATH,
        parameter(
            "eid",
            "The clause's eid: the second half of its citation.",
            ("The article's Ukraine paragraph", "para_4"),
            location=OpenApiParameter.PATH,
        ),
        parameter(
            "min_score",
            f"Leave out clauses scoring below this (0 to 1; default {similarity.DEFAULT_MIN_SCORE}).",
            ("Close copies only", "0.8"),
            type={
                "type": "number",
                "format": "double",
                "minimum": 0,
                "maximum": 1,
                "default": similarity.DEFAULT_MIN_SCORE,
            },
        ),
        parameter(
            "limit",
            f"At most this many results (1 to {similarity.MAX_LIMIT}; default {similarity.DEFAULT_LIMIT}).",
            ("The best one", "1"),
            type={
                "type": "integer",
                "minimum": 1,
                "maximum": similarity.MAX_LIMIT,
                "default": similarity.DEFAULT_LIMIT,
            },
        ),
    ],
    responses={
        200: OpenApiResponse(s.SimilarClausesSerializer, examples=[SIMILAR_EXAMPLE]),
        **error_responses(400, 404, 406, 410),
    },
    tags=["analysis"],
)
class SimilarClausesView(PublicReadOnlyMixin, APIView):
    def get(self, request, slug, eid):
        source = Clause.objects.with_context().filter(document__slug=slug, eid=eid).first()
        if source is None:
            raise missing_clause(slug, eid, request)
        parameters = s.SimilarParametersSerializer(data=request.query_params)
        parameters.is_valid(raise_exception=True)
        matches = similarity.similar_clauses(source, **parameters.validated_data)
        body = {"clause": source, **parameters.validated_data, "results": matches}
        return Response(s.SimilarClausesSerializer(body, context={"request": request, "source": source}).data)


@extend_schema(
    summary="Statistics of a topic",
    description="How many clauses are on the topic (a top-level topic includes its children, as `/clauses/?topic=` "
    "does), counted by speaking party, by kind of document and by year, and the topics its clauses most often "
    "also carry.",
    parameters=[
        parameter("slug", "The topic's slug.", ("Ukraine crisis", "ukraine-crisis"), location=OpenApiParameter.PATH)
    ],
    responses={
        200: OpenApiResponse(s.TopicStatsSerializer, examples=[STATS_EXAMPLE]),
        301: OpenApiResponse(description="A retired topic's slug: `Location` is the URL of the topic it moved to."),
        **error_responses(404, 406),
    },
    tags=["topics"],
)
class TopicStatsView(PublicReadOnlyMixin, APIView):
    def get(self, request, slug):
        topic = Topic.objects.select_related("parent").filter(slug=slug).first()
        if topic is None:
            return moved_topic(slug, request, "topic-stats")
        return Response(s.TopicStatsSerializer(stats.topic_stats(topic), context={"request": request}).data)


class AknRenderer(renderers.BaseRenderer):
    media_type = akn.MEDIA_TYPE
    format = "akn"
    charset = "utf-8"
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class XmlRenderer(AknRenderer):
    """The same document for clients that only know ``application/xml`` (chosen by the Accept header only:
    sharing the ``akn`` format keeps ``?format=`` out of the contract)."""

    media_type = "application/xml"


AKN_BODY = OpenApiResponse(
    {"type": "string", "format": "binary"},
    description="The document as Akoma Ntoso 3.0 XML (valid against the OASIS schema akomantoso30.xsd).",
)


@extend_schema(
    summary="A document as Akoma Ntoso 3.0 XML",
    description="The document in OASIS LegalDocML Akoma Ntoso 3.0, document type `statement`: FRBR metadata "
    "(work, expression with its language and any translation, manifestation), the parties as TLCOrganization, "
    "signatories as TLCPerson, topics as TLCConcept (and classification keywords, and each paragraph's "
    "`refersTo`), sections as `hcontainer`s with their eids, clauses as `paragraph`s whose eId is the clause's "
    'eid, text verbatim. Editorial headings and notes carry `class="editorial"`. Served as '
    "`application/akn+xml`, or `application/xml` when the client asks for it.",
    parameters=[SLUG_PATH],
    responses={
        (200, akn.MEDIA_TYPE): AKN_BODY,
        (200, "application/xml"): AKN_BODY,
        **{(code, "application/json"): response for code, response in error_responses(404, 406, 410).items()},
    },
    tags=["documents"],
)
class DocumentAknView(PublicReadOnlyMixin, APIView):
    renderer_classes = [AknRenderer, XmlRenderer]

    def get(self, request, slug):
        document = akn.document_for_export(slug)
        if document is None:
            raise missing_document(slug, request)
        return Response(akn.to_akn(document))

    def handle_exception(self, exc):
        # Errors are JSON in the one envelope, whatever the client asked the document in.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = renderers.JSONRenderer.media_type
        return response
