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

from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils import timezone
from rest_framework.reverse import preserve_builtin_query_params

from statements import search


class Column(NamedTuple):
    """Where a column of a ClauseRow comes from."""

    orm: str  # the path ``values_list`` reads
    sql: str  # the expression in the fast paths' fixed SQL: c the clause, d its document, s its section
    # A date or date-time: on SQLite the fixed SQL reads it as the text SQLite stores (``clause_sql_columns``).
    is_dated: bool = False


CLAUSE_COLUMNS = {
    "id": Column("pk", "c.id"),
    "document_slug": Column("document__slug", "d.slug"),
    "document_title": Column("document__title", "d.title"),
    "document_date": Column("document__date", "d.date", is_dated=True),
    "document_kind": Column("document__kind", "d.kind"),
    "section_eid": Column("section__eid", "s.eid"),
    "section_heading": Column("section__heading", "s.heading"),
    "section_heading_is_editorial": Column("section__heading_is_editorial", "s.heading_is_editorial"),
    "position": Column("position", "c.position"),
    "eid": Column("eid", "c.eid"),
    "label": Column("label", "c.label"),
    "text": Column("text", "c.text"),
    "updated_at": Column("updated_at", "c.updated_at", is_dated=True),
}
# One clause as every path reads it. SQL paths add their own named columns after these (rows.py).
ClauseRow = namedtuple("ClauseRow", CLAUSE_COLUMNS)
CLAUSE_ORM_COLUMNS = tuple(column.orm for column in CLAUSE_COLUMNS.values())


@lru_cache(maxsize=4)
def clause_sql_columns(vendor):
    """The columns of a ClauseRow in the fixed SQL of the database ``vendor``.

    On SQLite a date or date-time column is read with a unary plus (its value unchanged, as the text SQLite stores):
    a plain column keeps its declared type, and sqlite3 then parses each value into a date or datetime in Python
    (Django registers the converters), which the representation writes back as text: 100 calls of a page of 50
    clauses. The representation reads either (``iso_date``, ``iso_date_time``).
    """
    text = vendor == "sqlite"
    return ", ".join(f"+{column.sql}" if text and column.is_dated else column.sql for column in CLAUSE_COLUMNS.values())


# A search result's row: the clause, its rank and (PostgreSQL's ts_headline) its highlighted snippet or None.
RankedRow = namedtuple("RankedRow", [*CLAUSE_COLUMNS, "rank", "headline"])


def named(row_type, rows):
    """``rows`` (tuples) as ``row_type``, a namedtuple: made in C, without the Python call a row ``_make`` costs."""
    return [tuple.__new__(row_type, row) for row in rows]


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

    Also takes the text the fixed SQL reads (rows.fixed_sql_cursor): SQLite's (naive UTC, as Django stores it there)
    and PostgreSQL's (with its offset).
    """
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
    if not (is_utc(zone) and value.utcoffset() == NO_OFFSET):  # the database's UTC values need no conversion
        value = value.astimezone(zone)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


NO_OFFSET = datetime.timedelta(0)


@lru_cache(maxsize=8)
def is_utc(zone):
    return str(zone) == "UTC"


def iso_date(value):
    """A date as DRF's DateField renders it; the fixed SQL (rows.fixed_sql_cursor) reads dates as that text already."""
    return value if isinstance(value, str) else value.isoformat()


SLUG, EID = "__slug__", "__eid__"


def clause_url_template(request, *, keep_format=True):
    """A function (slug, eid) -> the clause's absolute URL, as DRF's ``reverse`` writes it for this request.

    Like DRF's ``reverse``, it keeps a ``?format=`` override of the request, except in exports, whose own
    ``format`` parameter is no renderer override.
    """
    viewname = "document-clause-detail"
    if request.version is not None:  # as DRF's NamespaceVersioning.reverse: the version's namespace
        viewname = request.versioning_scheme.get_versioned_viewname(viewname, request)
    template = request.build_absolute_uri(reversed_path(viewname, slug=SLUG, eid=EID))
    if keep_format:
        template = preserve_builtin_query_params(template, request)
    before, rest = template.split(SLUG, 1)
    middle, after = rest.split(EID, 1)
    return lambda slug, eid: f"{before}{slug}{middle}{eid}{after}"


def html_url_template(request):
    """A function (slug, eid) -> the clause on its document's reading page (``html_url``)."""
    before, after = request.build_absolute_uri(reversed_path("document-page", slug=SLUG)).split(SLUG, 1)
    return lambda slug, eid: f"{before}{slug}{after}#{eid}"


def reversed_path(viewname, **placeholders):
    """The path of ``viewname`` with ``placeholders`` for its arguments: reversed once per URLconf and script prefix
    (Django's ``reverse`` walks its resolver for every call, and a page of clauses reversed two templates)."""
    return _reversed_path(viewname, get_urlconf(), get_script_prefix(), tuple(placeholders.items()))


@lru_cache(maxsize=64)
def _reversed_path(viewname, urlconf, script_prefix, placeholders):
    return django_reverse(viewname, urlconf=urlconf, kwargs=dict(placeholders))


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
    topics and parties of each clause ({clause id: [...]}), the search query, and the documents, sections and
    date-times already made (a page's clauses share them)."""

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


class Field(NamedTuple):
    """A public field of a clause: its name, its value, and the CSV columns it becomes, as (column name, value); by
    default one column of the same name and value. A value is a Python expression over ``row`` (a ClauseRow, or any
    object with its attributes) and ``rendering`` (a Rendering); ``compiled`` turns a set of fields into one function.
    """

    name: str
    value: str
    csv: tuple | None = None

    def csv_columns(self):
        return ((self.name, self.value),) if self.csv is None else self.csv


# What the fields' values call when a response has not made a clause's document, section or date-time yet (they are
# shared by the clauses of a page, and looked up in the rendering first).


def _document(row, rendering):
    document = rendering.documents[row.document_slug] = {
        "slug": row.document_slug,
        "title": row.document_title,
        "date": iso_date(row.document_date),
        "kind": row.document_kind,
    }
    return document


def _section(row, rendering):
    section = rendering.sections[row.document_slug, row.section_eid] = {
        "eid": row.section_eid,
        "heading": row.section_heading,
        "heading_is_editorial": bool(row.section_heading_is_editorial),
    }
    return section


def _updated_at(row, rendering):
    text = rendering.date_times[row.updated_at] = iso_date_time(row.updated_at, rendering.zone)
    return text


CLAUSE_FIELDS = (
    Field("citation", 'f"{row.document_slug}/{row.eid}"'),
    Field("url", "rendering.url(row.document_slug, row.eid)"),
    Field("html_url", "rendering.html_url(row.document_slug, row.eid)", csv=()),
    Field(
        "document",
        "rendering.documents.get(row.document_slug) or _document(row, rendering)",
        csv=(
            ("document", "row.document_slug"),
            ("document_title", "inert(row.document_title)"),
            ("date", "iso_date(row.document_date)"),
            ("kind", "row.document_kind"),
        ),
    ),
    Field(
        "section",
        "rendering.sections.get((row.document_slug, row.section_eid)) or _section(row, rendering)",
        csv=(("section", "row.section_eid"), ("section_heading", "inert(row.section_heading)")),
    ),
    Field("position", "row.position"),
    Field("eid", "row.eid"),
    Field("label", "row.label", csv=(("label", "inert(row.label)"),)),
    Field("text", "row.text", csv=(("text", "inert(row.text)"),)),
    Field(
        "topics",
        "rendering.topics.get(row.id, [])",
        csv=(("topics", '";".join([topic["slug"] for topic in rendering.topics.get(row.id, ())])'),),
    ),
    Field(
        "parties",
        "rendering.parties.get(row.id, [])",
        csv=(("parties", '";".join([party["code"] for party in rendering.parties.get(row.id, ())])'),),
    ),
    Field("updated_at", "rendering.date_times.get(row.updated_at) or _updated_at(row, rendering)"),
)
# A search result is a clause with its relevance and a highlighted snippet (rows are RankedRows).
SEARCH_RESULT_FIELDS = (
    *CLAUSE_FIELDS,
    Field("rank", "row.rank"),
    Field("snippet", "search.snippet(row.text, rendering.q, row.headline)"),
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
    return compiled(clause_fields)([row], rendering)[0]


def clauses_json(rows, rendering, clause_fields=CLAUSE_FIELDS):
    """Every row as ``clause_json`` makes it."""
    return compiled(clause_fields)(rows, rendering)


# A spreadsheet opening the CSV runs a cell that starts with one of these as a formula (=HYPERLINK(...), =cmd|...):
# formula injection. Such a cell is written with a leading apostrophe, which spreadsheets show as text and hide (the
# OWASP advice); JSON Lines and the API keep the text verbatim.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A CSV cell of free text that no spreadsheet runs as a formula (see FORMULA_STARTS)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


CSV_FIELDS = tuple(column for field in CLAUSE_FIELDS for column in field.csv_columns())
# The CSV export's header: each field's columns, in the fields' order.
CSV_COLUMNS = [name for name, _ in CSV_FIELDS]


def csv_values(rows, rendering):
    """Each row's CSV values, in CSV_COLUMNS' order: a list a row."""
    return compiled(CSV_FIELDS, as_lists=True)(rows, rendering)


@lru_cache(maxsize=16)
def compiled(pairs, *, as_lists=False):
    """A function (rows, rendering) -> for each row, a dict (or, ``as_lists``, a list) of the values of ``pairs``
    (Fields, or (name, value) pairs). Generated once for each set of fields, as namedtuple and dataclasses generate
    their methods: the fields' expressions written into one comprehension. Calling a function a field instead cost a
    page of clauses a tenth more instructions and a document's table of contents a fifth: this is the hottest loop
    of the API."""
    expressions = [f"{name!r}: {value}" if not as_lists else value for name, value, *_ in pairs]
    item = "[" + ", ".join(expressions) + "]" if as_lists else "{" + ", ".join(expressions) + "}"
    namespace = {"_document": _document, "_section": _section, "_updated_at": _updated_at}
    namespace.update(iso_date=iso_date, inert=inert, search=search)
    exec(f"def build(rows, rendering):\n    return [{item} for row in rows]", namespace)  # our own code, from Fields
    return namespace["build"]


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
