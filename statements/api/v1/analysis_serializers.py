"""Response bodies and query parameters of the analysis endpoints: compare, similar, topic stats."""

import math

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from statements import similarity
from statements.api.errors import UnknownValues
from statements.models import Clause, Document, Topic

from .filters import SLUG
from .representation import COMPARED_CLAUSE_FIELDS, names
from .serializers import (
    ClauseRepresentation,
    ClauseSerializer,
    DocumentRefSerializer,
    PartyRefSerializer,
    TopicRefSerializer,
)

MAX_COMPARED_DOCUMENTS = 10


# --- Query parameters (a ValidationError names the parameter in the error envelope) ----------------


class CompareParametersSerializer(serializers.Serializer):
    documents = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        error_messages={"required": "Give the documents to compare: two or more slugs, comma-separated."},
    )

    def validate_documents(self, values):
        given = [slug.strip(" ") for value in values for slug in value.split(",")]
        malformed = [slug for slug in given if not SLUG.fullmatch(slug)]
        if malformed:
            raise serializers.ValidationError(
                [f"'{slug}' is not a document slug: letters, digits, hyphens and underscores." for slug in malformed]
            )
        if len(given) < 2:
            raise serializers.ValidationError("Give at least two documents to compare, comma-separated.")
        if len(given) > MAX_COMPARED_DOCUMENTS:
            raise serializers.ValidationError(f"Compare at most {MAX_COMPARED_DOCUMENTS} documents at a time.")
        slugs = list(dict.fromkeys(given))  # a slug given twice is compared once
        found = Document.objects.in_bulk(slugs, field_name="slug")
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:  # well formed, but not there: a 404 naming the parameter
            raise UnknownValues(
                {
                    "documents": " ".join(
                        f"Unknown document '{slug}'. See /api/v1/documents/ for the list." for slug in unknown
                    )
                }
            )
        return [found[slug] for slug in slugs]


class SimilarParametersSerializer(serializers.Serializer):
    min_score = serializers.FloatField(
        required=False,
        default=similarity.DEFAULT_MIN_SCORE,
        min_value=0,
        max_value=1,
        error_messages={
            "invalid": "Give min_score as a number from 0 to 1.",
            "min_value": "Give min_score as a number from 0 to 1.",
            "max_value": "Give min_score as a number from 0 to 1.",
        },
    )
    limit = serializers.IntegerField(
        required=False,
        default=similarity.DEFAULT_LIMIT,
        min_value=1,
        max_value=similarity.MAX_LIMIT,
        error_messages={
            "invalid": f"Give limit as a whole number from 1 to {similarity.MAX_LIMIT}.",
            "min_value": f"Give limit as a whole number from 1 to {similarity.MAX_LIMIT}.",
            "max_value": f"Give limit as a whole number from 1 to {similarity.MAX_LIMIT}.",
        },
    )

    def validate_min_score(self, value):
        if not math.isfinite(value):
            raise serializers.ValidationError("Give min_score as a number from 0 to 1.")
        return value


# --- Compare -------------------------------------------------------------------------------------------


class ComparedClauseSerializer(ClauseRepresentation, serializers.ModelSerializer):
    """A clause in a comparison: how to cite it, where to read it, and its verbatim text."""

    citation = serializers.CharField(read_only=True, help_text="The stable citation `<document slug>/<eid>`.")
    url = serializers.URLField(read_only=True, help_text="The clause's own, citable URL in this API.")
    html_url = serializers.URLField(read_only=True, help_text="The clause on its document's reading page.")
    clause_fields = COMPARED_CLAUSE_FIELDS

    class Meta:
        model = Clause
        fields = names(COMPARED_CLAUSE_FIELDS)


class ComparedDocumentSerializer(DocumentRefSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="document-detail", lookup_field="slug", help_text="The document in the API."
    )

    class Meta(DocumentRefSerializer.Meta):
        fields = [*DocumentRefSerializer.Meta.fields, "url"]


class ComparedTopicSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="topic-detail", lookup_field="slug", help_text="The topic in the API."
    )
    parent = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="The parent topic's slug; null at the top level."
    )

    class Meta:
        model = Topic
        fields = ["slug", "name", "parent", "url"]


class CompareCellSerializer(serializers.Serializer):
    document = serializers.CharField(help_text="The document's slug.")
    clauses = ComparedClauseSerializer(
        many=True, help_text="The document's clauses on the topic, in reading order; empty when it leaves it out."
    )


class CompareRowSerializer(serializers.Serializer):
    topic = ComparedTopicSerializer(help_text="The topic.")
    includes_children = serializers.BooleanField(
        help_text="True for a top-level topic: its row gathers the clauses on it and on any of its children "
        "(as `/clauses/?topic=` does)."
    )
    documents = CompareCellSerializer(many=True, help_text="One entry per compared document, in the order asked.")


class LeftOutSerializer(serializers.Serializer):
    document = serializers.CharField(help_text="The document's slug.")
    topics = TopicRefSerializer(
        many=True, help_text="Topics another compared document covers and this one does not, in tree order."
    )


class ComparisonSerializer(serializers.Serializer):
    """Documents lined up topic by topic."""

    documents = ComparedDocumentSerializer(many=True, help_text="The documents compared, in the order asked.")
    topics = serializers.SerializerMethodField(
        help_text="The topics any of the documents covers, in tree order (each top-level topic, then its children)."
    )
    left_out = serializers.SerializerMethodField(help_text="For each document, the topics it leaves out.")

    @extend_schema_field(CompareRowSerializer(many=True))
    def get_topics(self, comparison):
        rows = [
            {
                "topic": row.topic,
                "includes_children": row.includes_children,
                "documents": [
                    {"document": document.slug, "clauses": clauses}
                    for document, clauses in row.by_document(comparison.documents)
                ],
            }
            for row in comparison.rows
        ]
        return CompareRowSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(LeftOutSerializer(many=True))
    def get_left_out(self, comparison):
        left_out = [
            {"document": document.slug, "topics": comparison.left_out(document)} for document in comparison.documents
        ]
        return LeftOutSerializer(left_out, many=True, context=self.context).data


# --- Similar --------------------------------------------------------------------------------------------


class PassageSerializer(serializers.Serializer):
    source_start = serializers.IntegerField(help_text="Where the passage starts in the source clause's text.")
    source_end = serializers.IntegerField(help_text="Where it ends in the source clause's text (exclusive).")
    start = serializers.IntegerField(help_text="Where it starts in this clause's text (character offset).")
    end = serializers.IntegerField(help_text="Where it ends in this clause's text (exclusive).")
    words = serializers.IntegerField(help_text="How many words the passage has.")
    text = serializers.CharField(help_text="The passage as this clause has it (verbatim).")


class SimilarClauseSerializer(serializers.Serializer):
    score = serializers.FloatField(
        help_text="The share of the shorter text's words that lie in shared passages: 1.0 when one clause "
        "contains the other. Passages are runs of at least "
        f"{similarity.MIN_RUN_WORDS} identical words (case and punctuation aside)."
    )
    shared_words = serializers.IntegerField(help_text="How many words the shared passages hold in all.")
    clause = ClauseSerializer(help_text="The clause of another document.")
    passages = PassageSerializer(many=True, help_text="The shared passages, in the order of this clause's text.")
    marked_text = serializers.CharField(
        help_text="This clause's text with each shared passage wrapped in <mark>…</mark> (nothing is HTML-escaped)."
    )
    source_marked_text = serializers.SerializerMethodField(
        help_text="The source clause's text with the same passages marked."
    )

    def get_source_marked_text(self, match) -> str:
        source = self.context["source"]
        return similarity.mark(source.text, [(p.source_start, p.source_end) for p in match.passages])


class SimilarClausesSerializer(serializers.Serializer):
    """A clause and the clauses of other documents that reuse its language."""

    clause = ClauseSerializer(help_text="The source clause.")
    min_score = serializers.FloatField(help_text="The minimum score asked for.")
    limit = serializers.IntegerField(help_text="The most results asked for.")
    results = SimilarClauseSerializer(many=True, help_text="The similar clauses, best first.")


# --- Topic statistics -----------------------------------------------------------------------------------


class PartyCountSerializer(serializers.Serializer):
    party = PartyRefSerializer(help_text="The party.")
    clause_count = serializers.IntegerField(help_text="Clauses on the topic in which the party speaks or commits.")


class KindCountSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The kind of document, e.g. 'joint_statement'.")
    label = serializers.CharField(help_text="The kind, for people, e.g. 'Joint statement'.")
    clause_count = serializers.IntegerField(help_text="Clauses on the topic in documents of this kind.")


class YearCountSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="The year of the documents' dates.")
    clause_count = serializers.IntegerField(help_text="Clauses on the topic in documents of that year.")


class TopicCountSerializer(serializers.Serializer):
    topic = TopicRefSerializer(help_text="The other topic.")
    clause_count = serializers.IntegerField(help_text="Clauses on both topics.")


class TopicStatsSerializer(serializers.Serializer):
    """Where a topic's clauses come from and what else they are about (a parent topic includes its children)."""

    topic = ComparedTopicSerializer(help_text="The topic.")
    clause_count = serializers.IntegerField(help_text="Clauses on the topic (children included).")
    document_count = serializers.IntegerField(help_text="Documents with at least one of them.")
    by_party = PartyCountSerializer(many=True, help_text="Clause counts by speaking party, most first.")
    by_kind = KindCountSerializer(many=True, help_text="Clause counts by kind of document.")
    by_year = YearCountSerializer(many=True, help_text="Clause counts by year, oldest first.")
    co_occurring = TopicCountSerializer(
        many=True,
        help_text="The topics (outside this one and its children) its clauses most often also carry, most first; "
        "at most 10.",
    )
