"""Page-number pagination with strict parameters: a malformed ``page`` or ``page_size`` is a 400 naming it, a page
beyond the last a 404 naming ``page`` (well formed, but not there).

Each clause list declares how it pages (``Paging``) and clause lists page in constant time however deep the
page: counts are cached under the data version (``paginate_counted``), and a list in reading order (document by
document) is paged through a map of how many matching clauses each document has (``paginate_reading_order``),
so page 20,000 reads its ~50 rows from one or two documents (through the (document, position) index) instead of
skipping a million rows with OFFSET.
"""

import enum
import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from urllib import parse

from django.core.paginator import InvalidPage, Page, Paginator
from django.db import connections
from rest_framework import pagination

from .cache import cached_for
from .errors import InvalidParameters, UnknownValues


class Paging(enum.Enum):
    """How a clause list pages."""

    READING_ORDER = "through the document map when the order keeps documents together, else counted"
    COUNTED = "counted (cached), then the page's slice of the ordered queryset"
    RANKED = "counted candidates of a search, ranked"


class CountedPaginator(Paginator):
    """A Paginator told its count (from the cache) instead of counting."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


def document_map(selection, using):
    """Where each document's clauses start among those ``selection`` selects in the database ``using``: (document ids,
    offsets, total), in the selection's document order. One query (ClauseSelection.document_counts_sql).

    Arrays, not lists of tuples: the cache pickles them, and an array of 5,000 ids loads in microseconds.
    """
    ids, starts, total = array("q"), array("q"), 0
    sql, params = selection.document_counts_sql(using)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        counts = cursor.fetchall()
    for document_id, n in counts:
        ids.append(document_id)
        starts.append(total)
        total += n
    return ids, starts, total


@dataclass
class DocumentSlices:
    """A page of a list in a document-major order: ``slices`` of (document id, offset, limit), in page order, each a
    run of consecutive matching clauses of one document (by position), of the clauses ``selection`` selects in the
    database ``using``."""

    selection: object
    using: str
    slices: list


def document_slices(ids, starts, total, start, size):
    """The (document id, offset, limit) runs that make up rows ``start`` to ``start + size`` of the list."""
    slices = []
    index = max(bisect_right(starts, start) - 1, 0)
    end = min(start + size, total)
    while start < end:
        document_end = starts[index + 1] if index + 1 < len(ids) else total
        take = min(end, document_end) - start
        slices.append((ids[index], start - starts[index], take))
        start += take
        index += 1
    return slices


DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def is_whole_number(raw):
    return re.fullmatch(r"[0-9]+", raw) is not None


# Pages past this are past the last of any list (and a thousand-digit number costs nothing to refuse).
LAST_POSSIBLE_PAGE = 10**15


def as_page_number(raw):
    """A whole number as a page number: any number of digits, those beyond any list's last page capped."""
    return int(raw) if len(raw) <= 15 else LAST_POSSIBLE_PAGE


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not is_whole_number(raw) or not 1 <= as_page_number(raw) <= self.max_page_size:
            raise InvalidParameters(
                {
                    self.page_size_query_param: f"'{raw}' is not a page size: give a whole number from 1 to "
                    f"{self.max_page_size}."
                }
            )
        return as_page_number(raw)

    def paginate_queryset(self, queryset, request, view=None):
        number, page_size = self.page_asked(request)
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise UnknownValues(
                {self.page_query_param: f"Page {number} is out of range: there are {paginator.num_pages} page(s)."}
            ) from None
        return list(self.page)

    def paginate_reading_order(self, selection, using, request):
        """The page's runs of clauses (``DocumentSlices``) in the document-major order of ``selection``, through the
        cached map of how many of the clauses it selects each document has in the database ``using``."""
        number, page_size = self.page_asked(request)
        identity = (using, selection.key(), selection.document_order)
        ids, starts, total = cached_for(request, "documents", identity, lambda: document_map(selection, using))
        start = self.start_page(number, page_size, total)
        return DocumentSlices(selection, using, document_slices(ids, starts, total, start, page_size))

    def paginate_counted(self, request, count):
        """The (offset, limit) of the page asked for in a list of ``count()`` results (called once the page asked
        for is known to be well-formed)."""
        number, page_size = self.page_asked(request)
        return self.start_page(number, page_size, count()), page_size

    def page_asked(self, request):
        """The page number and page size asked for: a 400 naming the parameter if either is malformed."""
        self.request = request
        page_size = self.get_page_size(request)
        return self.page_number(request), page_size

    def start_page(self, number, page_size, count):
        """Sets up ``self.page`` (a 400 beyond the last page) and returns the page's offset."""
        self.page = Page((), number, self.paginator(page_size, count, number))
        return (number - 1) * page_size

    def page_number(self, request):
        raw = request.query_params.get(self.page_query_param, "1")
        if not is_whole_number(raw) or as_page_number(raw) < 1:
            message = f"'{raw}' is not a page number: give a whole number from 1."
            raise InvalidParameters({self.page_query_param: message})
        return as_page_number(raw)

    def paginator(self, page_size, count, number):
        paginator = CountedPaginator((), page_size, count)
        try:
            paginator.validate_number(number)
        except InvalidPage:
            raise UnknownValues(
                {self.page_query_param: f"Page {number} is out of range: there are {paginator.num_pages} page(s)."}
            ) from None
        return paginator

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return self.page_link(self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        return self.page_link(self.page.previous_page_number())

    def page_link(self, number):
        """The request's absolute URL asking for page ``number`` (with no ``page`` for the first), exactly as DRF's
        ``replace_query_param`` and ``remove_query_param`` write it: every parameter sorted by name and encoded, the
        page's among them."""
        scheme, netloc, path, before, after, fragment = self.link_parts
        page = parse.urlencode({self.page_query_param: number}) if number != 1 else ""
        return parse.urlunsplit(
            (scheme, netloc, path, "&".join(part for part in (before, page, after) if part), fragment)
        )

    @cached_property
    def link_parts(self):
        """The request's absolute URL parsed, its parameters other than ``page`` encoded as DRF encodes them, those
        named before ``page`` and after it apart: once per request, for both links (DRF parsed and encoded the query
        string for each link)."""
        scheme, netloc, path, query, fragment = parse.urlsplit(self.request.build_absolute_uri())
        others = sorted(parse.parse_qs(query, keep_blank_values=True).items())
        before = parse.urlencode([item for item in others if item[0] < self.page_query_param], doseq=True)
        after = parse.urlencode([item for item in others if item[0] > self.page_query_param], doseq=True)
        return scheme, netloc, path, before, after, fragment

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count"].update(example=61, description="How many results there are in all.")
        paginated["properties"]["next"].update(
            example="https://statements.example.org/api/v1/clauses/?page=3",
            description="The next page; null on the last.",
        )
        paginated["properties"]["previous"].update(
            example="https://statements.example.org/api/v1/clauses/?page=1",
            description="The previous page; null on the first.",
        )
        return paginated

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = "Page number, from 1. A page beyond the last is a 404 naming `page`."
                parameter["schema"] = {"type": "integer", "minimum": 1, "default": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Results per page: {DEFAULT_PAGE_SIZE} by default, at most {MAX_PAGE_SIZE} (more is a 400)."
                )
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE_SIZE,
                    "default": DEFAULT_PAGE_SIZE,
                }
        return parameters
