"""The OpenAPI schema's examples and documented parameters, shared by the v1 views.

Examples come from the real corpus (the Joint Statement of 2 March 2023, its readout and article), so
"Try it out" in the documentation finds what they show.

Over 400 lines because it is mostly data (examples, parameter descriptions): one concern, no logic to split.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from statements import similarity
from statements.models import DocumentKind
from statements.search import MAX_QUERY_LENGTH

from .filters import KIND_LIST_PATTERN, ORDERING_PATTERN, Q_PATTERN, SLUG_LIST_PATTERN


class ErrorItemSerializer(serializers.Serializer):
    parameter = serializers.CharField(
        allow_null=True,
        help_text="The offending query parameter, e.g. 'topic'; null when the error concerns no one parameter.",
    )
    message = serializers.CharField(help_text="What is wrong with it and what would be right.")


class ErrorSerializer(serializers.Serializer):
    """The body of every error the API answers with (400, 404, 405, 406, 429, 503)."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(
        help_text="A stable machine-readable code: invalid_parameters (400), not_found (404), "
        "method_not_allowed (405), not_acceptable (406), gone (410), throttled (429), too_many_exports (429), "
        "database_unavailable (503)."
    )
    detail = serializers.CharField(help_text="What went wrong, for people.")
    errors = ErrorItemSerializer(many=True, help_text="One entry per offending query parameter (400); empty otherwise.")


class GoneSerializer(ErrorSerializer):
    """The 410 of a retired document or clause: the envelope, and what was retired and where its text went."""

    retired = serializers.DictField(
        help_text="A clause: its citation, label, verbatim text, retired_at, document and the successor document a "
        "curator named (or null). A document: its slug, title, kind, date, retired_at, note, successor and the "
        "citations of its clauses, each resolving to its retired text."
    )


EXAMPLE_DOCUMENT = "china-belarus-joint-statement-2023-03-02"
EXAMPLE_EID = "para_39"
KINDS = ", ".join(DocumentKind.values)

ERROR_EXAMPLES = {
    400: OpenApiExample(
        "Unknown topic",
        value={
            "status": 400,
            "code": "invalid_parameters",
            "detail": "One or more query parameters are invalid; see errors.",
            "errors": [{"parameter": "topic", "message": "Unknown topic 'ukraine'. See /api/v1/topics/ for the list."}],
        },
        status_codes=["400"],
    ),
    404: OpenApiExample(
        "Unknown document",
        value={"status": 404, "code": "not_found", "detail": "No document 'no-such-document'.", "errors": []},
        status_codes=["404"],
    ),
    410: OpenApiExample(
        "A retired clause",
        value={
            "status": 410,
            "code": "gone",
            "detail": "The clause 'china-belarus-joint-statement-2023-03-02/para_39' was retired on 2026-12-02; its "
            "text is kept here.",
            "errors": [],
            "retired": {
                "citation": "china-belarus-joint-statement-2023-03-02/para_39",
                "label": "39",
                "text": "The two sides expressed deep concern over the prolongation of the regional armed conflict ...",
                "retired_at": "2026-12-02T16:30:00+00:00",
                "document": "https://statements.example.org/api/v1/documents/china-belarus-joint-statement-2023-03-02/",
                "successor": None,
            },
        },
        status_codes=["410"],
    ),
    406: OpenApiExample(
        "Not JSON",
        value={
            "status": 406,
            "code": "not_acceptable",
            "detail": "Could not satisfy the request Accept header.",
            "errors": [],
        },
        status_codes=["406"],
    ),
}
ERROR_DESCRIPTIONS = {
    400: "A query parameter is invalid; `errors` names each one and says what is wrong.",
    404: "No such resource (unknown slug, eid, code or API version).",
    406: "The Accept header asks for something other than JSON.",
    410: "Retired: the document or clause was deleted. Its citation is never given to other text; `retired` keeps "
    "its text and names its successor, if any.",
}
ERROR_SERIALIZERS = {410: GoneSerializer}


def error_responses(*codes):
    """The error envelope, documented for each status code an operation can answer with."""
    return {
        code: OpenApiResponse(
            ERROR_SERIALIZERS.get(code, ErrorSerializer),
            description=ERROR_DESCRIPTIONS[code],
            examples=[ERROR_EXAMPLES[code]],
        )
        for code in codes
    }


def list_responses(serializer):
    return {200: serializer, **error_responses(400, 404, 406)}


def detail_responses(serializer):
    return {200: serializer, **error_responses(404, 406)}


def cited_responses(serializer, *codes):
    """The responses of an operation on a citation (a document's slug, a clause's): a retired one is a 410."""
    return {200: serializer, **error_responses(*codes, 404, 406, 410)}


def parameter(name, description, *examples, type=str, location=OpenApiParameter.QUERY, required=False):
    """A documented parameter, its examples from the real corpus.

    An optional query parameter's examples are in its description, not the schema's ``examples``: Swagger UI fills
    every parameter's first example into "Try it out" (all the filters at once would find nothing), and the old
    way out, an empty "(none)" example, is a value the API refuses (an empty parameter is a 400: leave it out).
    """
    optional_query = location == OpenApiParameter.QUERY and not required
    if optional_query and examples:
        description += " Examples: " + "; ".join(f"`{value}` ({summary.lower()})" for summary, value in examples) + "."
    return OpenApiParameter(
        name,
        type=type,
        location=location,
        required=required or location == OpenApiParameter.PATH,
        description=description,
        examples=[] if optional_query else [OpenApiExample(summary, value=value) for summary, value in examples],
    )


def string(pattern, **more):
    """A string parameter's schema: what the API accepts, exactly (statements.api.v1.filters checks the same)."""
    return {"type": "string", "pattern": pattern, **more}


SLUG_PATH = parameter(
    "slug",
    "The document's slug: the first half of a clause citation.",
    ("Joint Statement", EXAMPLE_DOCUMENT),
    location=OpenApiParameter.PATH,
)
CLAUSE_FILTER_PARAMETERS = [
    parameter(
        "document",
        "Only clauses of these documents: slugs, comma-separated or repeated. A slug that names no document is a "
        "404 naming `document`.",
        ("The Joint Statement", EXAMPLE_DOCUMENT),
        ("Two documents", f"{EXAMPLE_DOCUMENT},mfa-readout-xi-lukashenko-talks-2023-03-01"),
        type=string(SLUG_LIST_PATTERN),
    ),
    parameter(
        "kind",
        f"Only clauses of documents of these kinds, comma-separated or repeated: {KINDS}.",
        ("Joint statements", "joint_statement"),
        ("Readouts and articles", "readout,article"),
        type=string(KIND_LIST_PATTERN),
    ),
    parameter(
        "party",
        "Only clauses in which any of these parties speaks or commits: party codes, comma-separated or repeated. "
        "A code that names no party is a 404 naming `party`.",
        ("China", "cn"),
        ("China or Belarus", "cn,by"),
        type=string(SLUG_LIST_PATTERN),
    ),
    parameter(
        "topic",
        "Only clauses on any of these topics: slugs, comma-separated or repeated. A parent topic matches its "
        "children too (`europe-and-eurasia` matches `ukraine-crisis`). A retired topic's slug (the seed's, before "
        "issue 17) selects the topics it moved to. A slug that names no topic is a 404 naming `topic`.",
        ("War in Ukraine", "ukraine-crisis"),
        ("Taiwan or the war in Ukraine", "taiwan,ukraine-crisis"),
        ("A parent topic", "economy"),
        type=string(SLUG_LIST_PATTERN),
    ),
    parameter(
        "date_after",
        "Only clauses of documents dated on or after this day (ISO 8601, YYYY-MM-DD).",
        ("From 1 March 2023", "2023-03-01"),
        type=OpenApiTypes.DATE,
    ),
    parameter(
        "date_before",
        "Only clauses of documents dated on or before this day (ISO 8601, YYYY-MM-DD).",
        ("Up to 1 March 2023", "2023-03-01"),
        type=OpenApiTypes.DATE,
    ),
    parameter(
        "updated_since",
        "Only clauses changed (text, topics or parties) at or after this moment: an ISO 8601 date (midnight "
        "UTC) or date-time (UTC unless it has an offset; write '+' as %2B). For syncing a local copy.",
        ("A day", "2023-03-01"),
        ("A moment", "2023-03-01T12:00:00Z"),
        type={"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]},
    ),
]
Q_DESCRIPTION = (
    'Words to find in the clause text, in web-search syntax: every word must occur, "quoted phrase", or, -word. '
    "PostgreSQL: English stemming and stop words. SQLite (FTS5): Porter stemming, no stop words; an alternative "
    "made only of -words matches nothing there. "
    f"At most {MAX_QUERY_LENGTH} characters."
)
Q_TYPE = string(Q_PATTERN, maxLength=MAX_QUERY_LENGTH)
ORDERING_TYPE = string(ORDERING_PATTERN)


# --- Example bodies ---------------------------------------------------------------------------------

JOINT_STATEMENT_PARA_39 = {
    "citation": "china-belarus-joint-statement-2023-03-02/para_39",
    "url": "https://statements.example.org/api/v1/documents/china-belarus-joint-statement-2023-03-02/clauses/para_39/",
    "html_url": "https://statements.example.org/documents/china-belarus-joint-statement-2023-03-02/#para_39",
    "document": {
        "slug": "china-belarus-joint-statement-2023-03-02",
        "title": "Joint statement of the People’s Republic of China and the Republic of Belarus on the further "
        "development of the all-weather comprehensive strategic partnership between the two countries in the new era",
        "date": "2023-03-02",
        "kind": "joint_statement",
    },
    "section": {"eid": "sec_9", "heading": "International and multilateral affairs", "heading_is_editorial": True},
    "position": 39,
    "eid": "para_39",
    "label": "",
    "text": "The two sides expressed deep concern over the prolongation of the regional armed conflict and looked "
    "forward to restoring peace in Ukraine as soon as possible to avoid the escalation of the crisis. The two sides "
    "are willing to make efforts to restore regional peace.",
    "topics": [{"slug": "ukraine-crisis", "name": "War in Ukraine"}],
    "parties": [{"code": "by", "short_name": "Belarus"}, {"code": "cn", "short_name": "China"}],
    "updated_at": "2026-11-28T00:00:00Z",
}

ARTICLE = "lukashenko-state-visit-to-china-2023"
READOUT = "mfa-readout-xi-lukashenko-talks-2023-03-01"
SITE = "https://statements.example.org"
UKRAINE_JS = (
    "The two sides expressed deep concern over the prolongation of the regional armed conflict and looked forward to "
    "restoring peace in Ukraine as soon as possible to avoid the escalation of the crisis. The two sides are willing "
    "to make efforts to restore regional peace."
)
UKRAINE_READOUT_OPENING = (
    "The two presidents also exchanged views on the Ukraine crisis and other issues. Xi Jinping pointed out that "
    "China’s position on the Ukraine crisis is consistent and clear, and China has released a position paper on the "
    "political settlement of the Ukraine crisis."
)


def compared_clause(slug, eid, text, label=""):
    return {
        "citation": f"{slug}/{eid}",
        "eid": eid,
        "label": label,
        "url": f"{SITE}/api/v1/documents/{slug}/clauses/{eid}/",
        "html_url": f"{SITE}/documents/{slug}/#{eid}",
        "text": text,
    }


COMPARE_EXAMPLE = OpenApiExample(
    "The readout and the Joint Statement (abridged: one topic row, two left-out topics)",
    value={
        "documents": [
            {
                "slug": READOUT,
                "title": "Xi Jinping Holds Talks with President of Belarus Aleksandr Lukashenko",
                "date": "2023-03-01",
                "kind": "readout",
                "url": f"{SITE}/api/v1/documents/{READOUT}/",
            },
            {
                "slug": EXAMPLE_DOCUMENT,
                "title": "Joint statement of the People’s Republic of China and the Republic of Belarus on the further "
                "development of the all-weather comprehensive strategic partnership between the two countries in the "
                "new era",
                "date": "2023-03-02",
                "kind": "joint_statement",
                "url": f"{SITE}/api/v1/documents/{EXAMPLE_DOCUMENT}/",
            },
        ],
        "topics": [
            {
                "topic": {
                    "slug": "ukraine-crisis",
                    "name": "War in Ukraine",
                    "parent": "europe-and-eurasia",
                    "url": f"{SITE}/api/v1/topics/ukraine-crisis/",
                },
                "includes_children": False,
                "documents": [
                    {"document": READOUT, "clauses": [compared_clause(READOUT, "para_6", UKRAINE_READOUT_OPENING)]},
                    {
                        "document": EXAMPLE_DOCUMENT,
                        "clauses": [compared_clause(EXAMPLE_DOCUMENT, "para_39", UKRAINE_JS)],
                    },
                ],
            }
        ],
        "left_out": [
            {
                "document": READOUT,
                "topics": [
                    {"slug": "finance", "name": "Financial cooperation and regulation"},
                    {"slug": "regional-organisations", "name": "Regional organisations"},
                ],
            },
            {"document": EXAMPLE_DOCUMENT, "topics": []},
        ],
    },
    response_only=True,
)

SIMILAR_TEXT = (
    "Xi Jinping emphasized that the China-Belarus friendship is unbreakable, and the two sides should constantly "
    "enhance political mutual trust and remain each other’s true friends and good partners."
)
SIMILAR_EXAMPLE = OpenApiExample(
    "The article's paragraph 2 and its twin in the readout (abridged)",
    value={
        "clause": {
            "citation": f"{ARTICLE}/para_2",
            "url": f"{SITE}/api/v1/documents/{ARTICLE}/clauses/para_2/",
            "html_url": f"{SITE}/documents/{ARTICLE}/#para_2",
            "document": {
                "slug": ARTICLE,
                "title": "Alexander Lukashenko’s state visit to China",
                "date": "2023-03-02",
                "kind": "article",
            },
            "section": {"eid": "sec_1", "heading": "", "heading_is_editorial": False},
            "position": 2,
            "eid": "para_2",
            "label": "",
            "text": f"Meeting again on March 1, {SIMILAR_TEXT}",
            "topics": [{"slug": "political-mutual-trust", "name": "Political mutual trust and core interests"}],
            "parties": [{"code": "cn", "short_name": "China"}],
            "updated_at": "2026-11-28T00:00:00Z",
        },
        "min_score": similarity.DEFAULT_MIN_SCORE,
        "limit": similarity.DEFAULT_LIMIT,
        "results": [
            {
                "score": 0.857,
                "shared_words": 30,
                "clause": {
                    "citation": f"{READOUT}/para_3",
                    "url": f"{SITE}/api/v1/documents/{READOUT}/clauses/para_3/",
                    "html_url": f"{SITE}/documents/{READOUT}/#para_3",
                    "document": {
                        "slug": READOUT,
                        "title": "Xi Jinping Holds Talks with President of Belarus Aleksandr Lukashenko",
                        "date": "2023-03-01",
                        "kind": "readout",
                    },
                    "section": {"eid": "sec_1", "heading": "", "heading_is_editorial": False},
                    "position": 3,
                    "eid": "para_3",
                    "label": "",
                    "text": f"{SIMILAR_TEXT} China highly appreciates Belarus’ firm support … (abridged)",
                    "topics": [{"slug": "political-mutual-trust", "name": "Political mutual trust and core interests"}],
                    "parties": [{"code": "cn", "short_name": "China"}],
                    "updated_at": "2026-11-28T00:00:00Z",
                },
                "passages": [
                    {
                        "source_start": 26,
                        "source_end": 219,
                        "start": 0,
                        "end": 193,
                        "words": 30,
                        "text": SIMILAR_TEXT[:-1],
                    }
                ],
                "marked_text": f"<mark>{SIMILAR_TEXT[:-1]}</mark>. China highly appreciates … (abridged)",
                "source_marked_text": f"Meeting again on March 1, <mark>{SIMILAR_TEXT[:-1]}</mark>.",
            }
        ],
    },
    response_only=True,
)

STATS_EXAMPLE = OpenApiExample(
    "The Ukraine crisis",
    value={
        "topic": {
            "slug": "ukraine-crisis",
            "name": "War in Ukraine",
            "parent": "europe-and-eurasia",
            "url": f"{SITE}/api/v1/topics/ukraine-crisis/",
        },
        "clause_count": 3,
        "document_count": 3,
        "by_party": [
            {"party": {"code": "cn", "short_name": "China"}, "clause_count": 3},
            {"party": {"code": "by", "short_name": "Belarus"}, "clause_count": 3},
        ],
        "by_kind": [
            {"kind": "article", "label": "Article", "clause_count": 1},
            {"kind": "joint_statement", "label": "Joint statement", "clause_count": 1},
            {"kind": "readout", "label": "Readout", "clause_count": 1},
        ],
        "by_year": [{"year": 2023, "clause_count": 3}],
        "co_occurring": [],
    },
    response_only=True,
)
