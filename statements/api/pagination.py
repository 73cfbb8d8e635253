"""Page-number pagination with strict parameters: a bad ``page`` or ``page_size`` is a 400 naming it."""

import re

from django.core.paginator import InvalidPage
from rest_framework import pagination

from .errors import InvalidParameters

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def is_whole_number(raw):
    return re.fullmatch(r"[0-9]{1,9}", raw) is not None


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not is_whole_number(raw) or not 1 <= int(raw) <= self.max_page_size:
            raise InvalidParameters(
                {
                    self.page_size_query_param: f"'{raw}' is not a page size: give a whole number from 1 to "
                    f"{self.max_page_size}."
                }
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        raw = request.query_params.get(self.page_query_param, "1")
        if not is_whole_number(raw) or int(raw) < 1:
            message = f"'{raw}' is not a page number: give a whole number from 1."
            raise InvalidParameters({self.page_query_param: message})
        try:
            self.page = paginator.page(int(raw))
        except InvalidPage:
            raise InvalidParameters(
                {self.page_query_param: f"Page {raw} is out of range: there are {paginator.num_pages} page(s)."}
            ) from None
        return list(self.page)

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
                parameter["description"] = "Page number, from 1. A page beyond the last is a 400."
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
