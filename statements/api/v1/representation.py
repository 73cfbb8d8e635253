"""The public representation of a clause, written once: where its data comes from and which fields it shows.

``CLAUSE_COLUMNS`` says what is read for a clause (a ``ClauseRow``) and where each column comes from, for the
ORM (``values_list``) and for the fixed SQL of the fast paths. ``CLAUSE_FIELDS`` says, in order, which public
fields a clause has and how each is made from a row (and how it flattens into CSV columns). Every
representation derives from these two:

- the JSON of a clause (its detail, lists, search, the JSON Lines export, similar): ``clause_json``;
- a clause in a document's table of contents or in a comparison: a subset of the same fields, by name;
- the CSV export: ``CSV_COLUMNS`` and ``csv_values``;
- the serializers, which document all of it in the OpenAPI schema: their ``Meta.fields`` are these names, and
  ``ClauseSerializer`` renders a model instance through ``clause_json`` too (``InstanceRow``).

To add a field to a clause, see README, "Adding a field to a clause".
"""

import datetime
from collections import namedtuple
from functools import cached_property, lru_cache
from typing import NamedTuple

from django.urls import reverse as django_reverse
from django.utils import timezone
from rest_framework.reverse import reverse

from statements import search


class Column(NamedTuple):
    """Where a column of a ClauseRow comes from."""

    orm: str  # the path ``values_list`` reads
    sql: str  # the expression in the fast paths' fixed SQL: c the clause, d its document, s its section


CLAUSE_COLUMNS = {
    "id": Column("pk", "c.id"),
    "document_slug": Column("document__slug", "d.slug"),
    "document_title": Column("document__title", "d.title"),
    "document_date": Column("document__date", "d.date"),
    "document_kind": Column("document__kind", "d.kind"),
    "section_eid": Column("section__eid", "s.eid"),
    "section_heading": Column("section__heading", "s.heading"),
    "section_heading_is_editorial": Column("section__heading_is_editorial", "s.heading_is_editorial"),
    "position": Column("position", "c.position"),
    "eid": Column("eid", "c.eid"),
    "label": Column("label", "c.label"),
    "text": Column("text", "c.text"),
    "updated_at": Column("updated_at", "c.updated_at"),
}
# One clause as every path reads it. SQL paths add their own named columns after these (rows.py).
ClauseRow = namedtuple("ClauseRow", CLAUSE_COLUMNS)
CLAUSE_ORM_COLUMNS = tuple(column.orm for column in CLAUSE_COLUMNS.values())
CLAUSE_SQL_COLUMNS = ", ".join(column.sql for column in CLAUSE_COLUMNS.values())
# A search result's row: the clause, its rank and (PostgreSQL's ts_headline) its highlighted snippet or None.
RankedRow = namedtuple("RankedRow", [*CLAUSE_COLUMNS, "rank", "headline"])


class InstanceRow:
    """A Clause instance read as a ClauseRow: each column followed through its ORM path when first asked for, so
    a representation that needs no section (a comparison) costs no query for one."""

    __slots__ = ("clause",)

    def __init__(self, clause):
        self.clause = clause

    def __getattr__(self, name):
        if name not in CLAUSE_COLUMNS:  # a search result's rank and headline, where the queryset annotated them
            return getattr(self.clause, name, None)
        value = self.clause
        for step in CLAUSE_COLUMNS[name].orm.split("__"):
            value = getattr(value, step)
        return value


# --- How values are written (as DRF's fields write them, faster) ------------------------------------------


def iso_date_time(value, zone):
    """A date-time as DRF's DateTimeField renders it (ISO 8601 in the current time zone, 'Z' for UTC), but fast:
    DRF's goes through the time-zone machinery for every value, a fifth of an export's time.

    Also takes the text SQLite hands back from raw SQL (naive UTC, as Django stores it there).
    """
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    if not (is_utc(zone) and value.utcoffset() == NO_OFFSET):  # the database's UTC values need no conversion
        value = value.astimezone(zone)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


NO_OFFSET = datetime.timedelta(0)


@lru_cache(maxsize=8)
def is_utc(zone):
    return str(zone) == "UTC"


def iso_date(value):
    """A date as DRF's DateField renders it; SQLite hands back raw SQL's dates as that text already."""
    return value if isinstance(value, str) else value.isoformat()


SLUG, EID = "__slug__", "__eid__"


def clause_url_template(request, *, keep_format=True):
    """A function (slug, eid) -> the clause's absolute URL, reversed once per request.

    Like DRF's ``reverse``, it keeps a ``?format=`` override of the request, except in exports, whose own
    ``format`` parameter is no renderer override.
    """
    reverse_url = reverse if keep_format else request.versioning_scheme.reverse
    template = reverse_url("document-clause-detail", kwargs={"slug": SLUG, "eid": EID}, request=request)
    before, rest = template.split(SLUG, 1)
    middle, after = rest.split(EID, 1)
    return lambda slug, eid: f"{before}{slug}{middle}{eid}{after}"


def html_url_template(request):
    """A function (slug, eid) -> the clause on its document's reading page (``html_url``), reversed once."""
    before, after = request.build_absolute_uri(django_reverse("document-page", args=[SLUG])).split(SLUG, 1)
    return lambda slug, eid: f"{before}{slug}{after}#{eid}"


# --- Topics and parties, as a clause shows them ----------------------------------------------------------

TOPIC_REF_FIELDS = ["slug", "name"]
PARTY_REF_FIELDS = ["code", "short_name"]


def topic_ref(slug, name):
    return {"slug": slug, "name": name}


def party_ref(code, short_name):
    return {"code": code, "short_name": short_name}


# --- The fields ----------------------------------------------------------------------------------------------


class Rendering:
    """What rendering the clauses of one response needs, worked out once: the URL templates, the time zone, the
    topics and parties of each clause ({clause id: [...]}), the search query, and the document and section
    objects, made once for all the clauses of a page that share them."""

    def __init__(self, request, *, links=({}, {}), q=None, keep_format=True):
        self.request, self.keep_format = request, keep_format
        self.topics, self.parties = links
        self.q = q
        self.zone = timezone.get_current_timezone()
        self.documents, self.sections, self.date_times = {}, {}, {}

    @cached_property
    def url(self):
        """(slug, eid) -> the clause's URL in the API (keep_format: see clause_url_template)."""
        return clause_url_template(self.request, keep_format=self.keep_format)

    @cached_property
    def html_url(self):
        """(slug, eid) -> the clause on its document's reading page."""
        return html_url_template(self.request)

    def document(self, row):
        document = self.documents.get(row.document_slug)
        if document is None:
            document = self.documents[row.document_slug] = {
                "slug": row.document_slug,
                "title": row.document_title,
                "date": iso_date(row.document_date),
                "kind": row.document_kind,
            }
        return document

    def section(self, row):
        key = (row.document_slug, row.section_eid)
        section = self.sections.get(key)
        if section is None:
            section = self.sections[key] = {
                "eid": row.section_eid,
                "heading": row.section_heading,
                "heading_is_editorial": bool(row.section_heading_is_editorial),
            }
        return section

    def updated_at(self, row):
        text = self.date_times.get(row.updated_at)
        if text is None:
            text = self.date_times[row.updated_at] = iso_date_time(row.updated_at, self.zone)
        return text


class Field(NamedTuple):
    """A public field of a clause: its name, its value made from a row (``value(row, rendering)``), and the CSV
    columns it becomes, as (column name, value(row, rendering)); by default one column of the same name and value.
    """

    name: str
    value: object
    csv: tuple | None = None

    def csv_columns(self):
        return ((self.name, self.value),) if self.csv is None else self.csv


def _citation(row, rendering):
    return f"{row.document_slug}/{row.eid}"


def _topics(row, rendering):
    return rendering.topics.get(row.id, [])


def _parties(row, rendering):
    return rendering.parties.get(row.id, [])


def _joined(links, key):
    """A CSV value: the ``key`` of each of a clause's ``links`` (topics or parties), joined by ';'."""
    return lambda row, rendering: ";".join(link[key] for link in links(row, rendering))


CLAUSE_FIELDS = (
    Field("citation", _citation),
    Field("url", lambda row, rendering: rendering.url(row.document_slug, row.eid)),
    Field("html_url", lambda row, rendering: rendering.html_url(row.document_slug, row.eid), csv=()),
    Field(
        "document",
        lambda row, rendering: rendering.document(row),
        csv=(
            ("document", lambda row, rendering: row.document_slug),
            ("document_title", lambda row, rendering: row.document_title),
            ("date", lambda row, rendering: iso_date(row.document_date)),
            ("kind", lambda row, rendering: row.document_kind),
        ),
    ),
    Field(
        "section",
        lambda row, rendering: rendering.section(row),
        csv=(
            ("section", lambda row, rendering: row.section_eid),
            ("section_heading", lambda row, rendering: row.section_heading),
        ),
    ),
    Field("position", lambda row, rendering: row.position),
    Field("eid", lambda row, rendering: row.eid),
    Field("label", lambda row, rendering: row.label),
    Field("text", lambda row, rendering: row.text),
    Field("topics", _topics, csv=(("topics", _joined(_topics, "slug")),)),
    Field("parties", _parties, csv=(("parties", _joined(_parties, "code")),)),
    Field("updated_at", lambda row, rendering: rendering.updated_at(row)),
)
# A search result is a clause with its relevance and a highlighted snippet (rows are RankedRows).
SEARCH_RESULT_FIELDS = (
    *CLAUSE_FIELDS,
    Field("rank", lambda row, rendering: row.rank),
    Field("snippet", lambda row, rendering: search.snippet(row.text, rendering.q, row.headline)),
)
FIELDS_BY_NAME = {field.name: field for field in SEARCH_RESULT_FIELDS}


def fields(*names):
    """The clause fields of these names, in this order: a clause as a table of contents or a comparison shows it."""
    return tuple(FIELDS_BY_NAME[name] for name in names)


# A clause in a document's table of contents, and in a comparison of documents.
CLAUSE_REF_FIELDS = fields("eid", "label", "position", "citation", "url")
COMPARED_CLAUSE_FIELDS = fields("citation", "eid", "label", "url", "html_url", "text")


def names(clause_fields):
    """The field names, in order: a serializer's ``Meta.fields``."""
    return [field.name for field in clause_fields]


def clause_json(row, rendering, clause_fields=CLAUSE_FIELDS):
    """One clause as the API shows it: {field name: value}, in the fields' order."""
    return {field.name: field.value(row, rendering) for field in clause_fields}


def clauses_json(rows, rendering, clause_fields=CLAUSE_FIELDS):
    """Every row as ``clause_json`` makes it (the fields unpacked once, not once a clause)."""
    pairs = [(field.name, field.value) for field in clause_fields]
    return [{name: value(row, rendering) for name, value in pairs} for row in rows]


CSV_FIELDS = tuple(column for field in CLAUSE_FIELDS for column in field.csv_columns())
# The CSV export's header: each field's columns, in the fields' order.
CSV_COLUMNS = [name for name, _ in CSV_FIELDS]


def csv_values(rows, rendering):
    """Each row's CSV values, in CSV_COLUMNS' order."""
    getters = [value for _, value in CSV_FIELDS]
    return [[value(row, rendering) for value in getters] for row in rows]


# --- Documents ------------------------------------------------------------------------------------------------

DOCUMENT_FIELDS = [
    "slug",
    "url",
    "title",
    "kind",
    "date",
    "date_is_editorial",
    "editorial_note",
    "publisher",
    "source_url",
    "language",
    "is_translation",
    "original_language",
    "translation_note",
    "parties",
    "signatories",
    "clause_count",
    "clauses_url",
    "updated_at",
]
DOCUMENT_DETAIL_FIELDS = [*DOCUMENT_FIELDS, "sections"]
