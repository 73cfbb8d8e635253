"""Query-parameter filters for clause lists and search (django-filter).

Multi-value filters take comma-separated values (``topic=taiwan,ukraine-crisis``) and repeated
parameters (``topic=taiwan&topic=ukraine-crisis``); a value that names nothing is a 400 naming the
parameter and the value, never a silently empty page.

django-filter validates the parameters (the filters' form fields); what they say is then described as a
``statements.selection.ClauseSelection`` (``selection()``), from which the queryset is filtered
(``filter_queryset``) and the fast paths write their SQL.
"""

import dataclasses
import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from statements import search
from statements.models import READING_ORDER, Clause, Document, DocumentKind, Party, Topic
from statements.selection import ClauseSelection

ISO_DATE = ["%Y-%m-%d"]
KINDS = ", ".join(DocumentKind.values)


class CommaSeparatedWidget(forms.SelectMultiple):
    """Reads ``a,b`` and repeated ``x=a&x=b`` alike into a list of values."""

    def value_from_datadict(self, data, files, name):
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name) or ""]
        return [value.strip() for item in raw for value in item.split(",") if value.strip()]


class DateOrDateTimeField(forms.Field):
    """An ISO 8601 date (midnight UTC) or date-time (UTC unless it carries an offset)."""

    default_error_messages = {
        "invalid": "'%(value)s' is not an ISO 8601 date or date-time, e.g. 2023-03-01 or 2023-03-01T12:00:00Z "
        "(write a '+' offset as %%2B in a URL)."
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            moment = parse_datetime(value)
            if moment is None:
                day = parse_date(value)
                moment = datetime.datetime.combine(day, datetime.time.min) if day else None
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)


class DateOrDateTimeFilter(django_filters.Filter):
    field_class = DateOrDateTimeField


def unknown_value_messages(noun, listing):
    return {
        "invalid_choice": f"Unknown {noun} '%(value)s'. See {listing} for the list.",
        "invalid_pk_value": f"'%(pk)s' is not a {noun}.",
    }


class ClauseFilterSet(django_filters.FilterSet):
    """The filters clause lists and search share."""

    document = django_filters.ModelMultipleChoiceFilter(
        queryset=Document.objects.all(),
        to_field_name="slug",
        widget=CommaSeparatedWidget,
        error_messages=unknown_value_messages("document", "/api/v1/documents/"),
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=DocumentKind.choices,
        field_name="document__kind",
        widget=CommaSeparatedWidget,
        distinct=False,
        error_messages={"invalid_choice": f"Unknown kind '%(value)s'. Kinds: {KINDS}."},
    )
    party = django_filters.ModelMultipleChoiceFilter(
        field_name="parties",
        queryset=Party.objects.all(),
        to_field_name="code",
        widget=CommaSeparatedWidget,
        error_messages=unknown_value_messages("party", "/api/v1/parties/"),
    )
    topic = django_filters.ModelMultipleChoiceFilter(
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        widget=CommaSeparatedWidget,
        error_messages=unknown_value_messages("topic", "/api/v1/topics/"),
    )
    date_after = django_filters.DateFilter(
        field_name="document__date",
        lookup_expr="gte",
        input_formats=ISO_DATE,
        error_messages={"invalid": "Enter a date as YYYY-MM-DD (ISO 8601), e.g. 2023-03-01."},
    )
    date_before = django_filters.DateFilter(
        field_name="document__date",
        lookup_expr="lte",
        input_formats=ISO_DATE,
        error_messages={"invalid": "Enter a date as YYYY-MM-DD (ISO 8601), e.g. 2023-03-02."},
    )
    updated_since = DateOrDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Clause
        fields = []

    def selection(self):
        """What the validated parameters select (call ``is_valid()`` first)."""
        data = self.form.cleaned_data
        return ClauseSelection(
            documents=tuple(document.pk for document in self.chosen("document")),
            kinds=tuple(data.get("kind") or ()),
            parties=tuple(party.code for party in self.chosen("party")),
            topics=tuple(topic.slug for topic in self.chosen("topic")),
            date_after=data.get("date_after"),
            date_before=data.get("date_before"),
            updated_since=data.get("updated_since"),
        )

    def filter_queryset(self, queryset):
        return self.selection().queryset(queryset)

    def chosen(self, name):
        """The objects a multi-value parameter names; none where it names none (its field's empty value is a
        queryset, which would be read from the database to find it empty)."""
        return self.form.cleaned_data[name] if self.form[name].data else ()


class ClauseOrderingFilter(django_filters.OrderingFilter):
    """Orders by the chosen fields, then by reading order, so pages never shuffle between requests."""

    def order_by(self, value):
        """The ORM ordering the validated ``value`` asks for (reading order when it asks for none)."""
        if not value:
            return READING_ORDER
        return (*(self.get_ordering_value(param) for param in value), *READING_ORDER)


class ClauseListFilterSet(ClauseFilterSet):
    """/clauses/: the shared filters, optional free text, and an ordering."""

    q = django_filters.CharFilter(max_length=search.MAX_QUERY_LENGTH)
    ordering = ClauseOrderingFilter(
        fields=(("document__date", "date"), ("position", "position"), ("updated_at", "updated_at")),
        error_messages={
            "invalid_choice": "Unknown ordering '%(value)s'. Order by date, position or updated_at; "
            "prefix '-' for descending."
        },
    )

    def selection(self):
        data = self.form.cleaned_data
        return dataclasses.replace(
            super().selection(),
            q=data.get("q") or None,
            order_by=self.filters["ordering"].order_by(data.get("ordering")),
        )

    def filter_queryset(self, queryset):
        selection = self.selection()
        return selection.queryset(queryset).order_by(*selection.order_by)


class SearchFilterSet(ClauseFilterSet):
    """/search/: the shared filters and a required query; results come ranked by relevance."""

    q = django_filters.CharFilter(
        required=True,
        max_length=search.MAX_QUERY_LENGTH,
        error_messages={"required": "Give the words to search for, e.g. q=industrial park."},
    )

    def filter_queryset(self, queryset):
        """The clauses selected that match ``q``, ranked (search.ranked)."""
        selection = self.selection()
        return search.ranked(selection.queryset(queryset), self.form.cleaned_data["q"], filtered=selection.is_filtered)
