"""Response bodies of the v1 API. Field descriptions come from the models' help_text."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.reverse import reverse

from statements.api.pagination import MAX_PAGE_SIZE
from statements.models import Clause, Document, DocumentParty, Party, PartyMembership, Section, Signatory, Topic
from statements.vocabulary import NameKind

from .openapi import JOINT_STATEMENT_PARA_39
from .representation import (
    CLAUSE_FIELDS,
    CLAUSE_REF_FIELDS,
    DOCUMENT_DETAIL_FIELDS,
    DOCUMENT_FIELDS,
    PARTY_REF_FIELDS,
    SEARCH_RESULT_FIELDS,
    TOPIC_REF_FIELDS,
    InstanceRow,
    Rendering,
    clause_json,
    names,
    party_ref,
    topic_ref,
)


class ClauseRepresentation:
    """A serializer of Clause instances whose output is the clause's public fields (statements.api.v1.representation),
    made exactly as the fast paths make them; its declared fields only document them in the OpenAPI schema."""

    clause_fields = CLAUSE_FIELDS

    def to_representation(self, clause):
        # One Rendering for every clause of a response (nested serializers share the root's context).
        rendering = self.context.get("clause_rendering")
        if rendering is None:
            request = self.context["request"]
            rendering = Rendering(request, q=request.query_params.get("q", ""))
            self.context["clause_rendering"] = rendering
        if "topics" in self.Meta.fields:
            rendering.topics[clause.pk] = [topic_ref(topic.slug, topic.name) for topic in clause.topics.all()]
            rendering.parties[clause.pk] = [party_ref(party.code, party.short_name) for party in clause.parties.all()]
        return clause_json(InstanceRow(clause), rendering, self.clause_fields)


class PartyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = PARTY_REF_FIELDS


class TopicRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = TOPIC_REF_FIELDS


class DocumentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["slug", "title", "date", "kind"]


class SectionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["eid", "heading", "heading_is_editorial"]


@extend_schema_serializer(
    examples=[OpenApiExample("Paragraph 39 of the Joint Statement", value=JOINT_STATEMENT_PARA_39, response_only=True)]
)
class ClauseSerializer(ClauseRepresentation, serializers.ModelSerializer):
    """A clause with everything needed to quote and cite it."""

    citation = serializers.CharField(
        read_only=True,
        help_text="The stable citation `<document slug>/<eid>`, "
        "e.g. 'china-belarus-joint-statement-2023-03-02/para_39'.",
    )
    url = serializers.URLField(read_only=True, help_text="The clause's own, citable URL in this API.")
    html_url = serializers.URLField(
        read_only=True,
        help_text="The clause on its document's reading page, for people: the page URL with the `#<eid>` anchor.",
    )
    document = DocumentRefSerializer(read_only=True, help_text="The document the clause is part of.")
    section = SectionRefSerializer(read_only=True, help_text="The section the clause is in.")
    topics = TopicRefSerializer(many=True, read_only=True, help_text="Subjects the clause is about (editorial).")
    parties = PartyRefSerializer(
        many=True, read_only=True, help_text="Who speaks or commits in the clause (editorial); empty for narration."
    )

    class Meta:
        model = Clause
        fields = names(CLAUSE_FIELDS)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Searching for ukraine crisis",
            value={
                **JOINT_STATEMENT_PARA_39,
                "rank": 0.1,
                "snippet": "The two sides expressed deep concern over the prolongation of the regional armed "
                "conflict and looked forward to restoring peace in <mark>Ukraine</mark> as soon as possible to avoid "
                "the escalation of the <mark>crisis</mark>.",
            },
            response_only=True,
        )
    ]
)
class SearchResultSerializer(ClauseSerializer):
    """A clause that matches a search, with its relevance and a highlighted snippet."""

    rank = serializers.FloatField(
        read_only=True,
        help_text="Relevance, higher is better; comparable only within one search. PostgreSQL: ts_rank_cd. "
        "SQLite fallback: occurrences of the query's words plus occurrences of the whole query as a phrase.",
    )
    snippet = serializers.CharField(
        read_only=True,
        help_text="Up to 35 words of the clause around the matches, each match wrapped in <mark>…</mark>. "
        "The text between the tags is verbatim; nothing is HTML-escaped.",
    )
    clause_fields = SEARCH_RESULT_FIELDS

    class Meta(ClauseSerializer.Meta):
        fields = names(SEARCH_RESULT_FIELDS)


class DocumentPartySerializer(serializers.ModelSerializer):
    """A party of the document (as a clause's parties show it) and who made the link: a curator, or an importer
    rule (machine-assigned) and which."""

    code = serializers.CharField(source="party.code", read_only=True, help_text=Party._meta.get_field("code").help_text)
    short_name = serializers.CharField(
        source="party.short_name", read_only=True, help_text=Party._meta.get_field("short_name").help_text
    )

    class Meta:
        model = DocumentParty
        fields = [*PARTY_REF_FIELDS, "assigned_by", "rule"]


class SignatorySerializer(serializers.ModelSerializer):
    party = PartyRefSerializer(read_only=True, help_text="The party the signatory signed for.")

    class Meta:
        model = Signatory
        fields = ["position", "name", "office", "party", "assigned_by", "rule"]


class DocumentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="document-detail", lookup_field="slug", help_text="This document in the API."
    )
    clauses_url = serializers.HyperlinkedIdentityField(
        view_name="document-clause-list", lookup_field="slug", help_text="The document's clauses, in reading order."
    )
    parties = DocumentPartySerializer(
        source="party_links",
        many=True,
        read_only=True,
        help_text="States or organisations the document is between or about, by code, each with who made the link.",
    )
    signatories = SignatorySerializer(
        many=True,
        read_only=True,
        help_text="Who signed, in signature-block order, or the leaders the text names as the document's principals "
        "(machine-assigned), each with who recorded it.",
    )
    clause_count = serializers.IntegerField(read_only=True, help_text="How many clauses the document has.")
    # A plain string: the model's blank URLField becomes a oneOf (URI | empty) that an empty string matches twice.
    source_url = serializers.CharField(
        read_only=True, help_text="Where the text was published (a URL); empty where it is not known."
    )

    class Meta:
        model = Document
        fields = DOCUMENT_FIELDS


class ClauseRefSerializer(ClauseRepresentation, serializers.ModelSerializer):
    """A clause in a table of contents: where it is and how to cite and fetch it, without its text."""

    citation = serializers.CharField(read_only=True, help_text="The stable citation `<document slug>/<eid>`.")
    url = serializers.URLField(read_only=True, help_text="The clause's own, citable URL in this API.")
    clause_fields = CLAUSE_REF_FIELDS

    class Meta:
        model = Clause
        fields = names(CLAUSE_REF_FIELDS)


class SectionContentsSerializer(serializers.ModelSerializer):
    clauses = ClauseRefSerializer(many=True, read_only=True, help_text="The section's clauses, in reading order.")

    class Meta:
        model = Section
        fields = ["eid", "position", "heading", "heading_is_editorial", "clauses"]


class DocumentDetailSerializer(DocumentSerializer):
    """A document's metadata and its table of contents."""

    sections = SectionContentsSerializer(
        many=True,
        read_only=True,
        help_text="Table of contents: the sections in order, each listing its clauses' eids, citations and URLs "
        f"(the text is on the clause URLs and, {MAX_PAGE_SIZE} at a time, on clauses_url).",
    )

    class Meta(DocumentSerializer.Meta):
        fields = DOCUMENT_DETAIL_FIELDS


class CapMajorTopicSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="The CAP major topic code, e.g. 19.")
    name = serializers.CharField(help_text="Its name in the CAP master codebook, e.g. 'International Affairs'.")


class TopicSerializer(serializers.ModelSerializer):
    description = serializers.CharField(
        read_only=True,
        help_text="The scope note: what the topic covers, what it does not and where the borderline with its "
        "neighbours goes (the annotation guidelines and the tagging rules follow it).",
    )
    cap_major_topic = CapMajorTopicSerializer(
        read_only=True,
        allow_null=True,
        help_text="The Comparative Agendas Project major topic the topic maps to, to join this data with "
        "CAP-coded data (comparativeagendas.net); a child's is its parent's unless it differs.",
    )
    url = serializers.HyperlinkedIdentityField(
        view_name="topic-detail", lookup_field="slug", help_text="This topic in the API."
    )
    clause_count = serializers.IntegerField(
        read_only=True,
        help_text="Clauses tagged with this topic or, for a parent topic, with any of its children: "
        "the number of clauses `/api/v1/clauses/?topic=<slug>` returns.",
    )
    document_count = serializers.IntegerField(
        read_only=True,
        help_text="Documents with at least one of those clauses (children included, as for clause_count).",
    )

    class Meta:
        model = Topic
        fields = ["slug", "url", "name", "description", "cap_major_topic", "clause_count", "document_count"]


class TopicTreeSerializer(TopicSerializer):
    """A top-level topic and its children."""

    children = TopicSerializer(many=True, read_only=True, help_text="The narrower topics under this one.")

    class Meta(TopicSerializer.Meta):
        fields = [*TopicSerializer.Meta.fields, "children"]


class TopicDetailSerializer(TopicTreeSerializer):
    parent = TopicRefSerializer(read_only=True, allow_null=True, help_text="The broader topic; null at the top level.")
    clauses_url = serializers.SerializerMethodField(help_text="The clauses on this topic (children included).")

    class Meta(TopicTreeSerializer.Meta):
        fields = [*TopicTreeSerializer.Meta.fields, "parent", "clauses_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_clauses_url(self, topic):
        return reverse("clause-list", request=self.context["request"]) + f"?topic={topic.slug}"


class PartyMemberSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="member.code", read_only=True, help_text="The member's code.")
    short_name = serializers.CharField(source="member.short_name", read_only=True, help_text="The member's name.")

    class Meta:
        model = PartyMembership
        fields = ["code", "short_name", "since", "until"]


class PartySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="party-detail", lookup_field="code", help_text="This party in the API."
    )
    aliases = serializers.SerializerMethodField(help_text="Other names statements call it by: 'U.S.', 'ROK', 'Turkey'.")
    demonyms = serializers.SerializerMethodField(help_text="Adjectives and names for its people: 'Chinese', 'Emirati'.")
    members = PartyMemberSerializer(
        source="memberships",
        many=True,
        read_only=True,
        help_text="A group's or organisation's formal members, as recorded (a former member has its 'until' date); "
        "empty for a state, and for an organisation whose members are not recorded.",
    )
    clause_count = serializers.IntegerField(read_only=True, help_text="Clauses in which the party speaks or commits.")
    document_count = serializers.IntegerField(read_only=True, help_text="Documents the party is party to.")
    clauses_url = serializers.SerializerMethodField(help_text="The clauses in which the party speaks or commits.")

    class Meta:
        model = Party
        fields = [
            "code",
            "url",
            "name",
            "short_name",
            "kind",
            "un_status",
            "aliases",
            "demonyms",
            "members",
            "clause_count",
            "document_count",
            "clauses_url",
        ]

    def get_aliases(self, party) -> list[str]:
        return [name.name for name in party.names.all() if name.kind == NameKind.ALIAS]

    def get_demonyms(self, party) -> list[str]:
        return [name.name for name in party.names.all() if name.kind == NameKind.DEMONYM]

    @extend_schema_field(OpenApiTypes.URI)
    def get_clauses_url(self, party):
        return reverse("clause-list", request=self.context["request"]) + f"?party={party.code}"
