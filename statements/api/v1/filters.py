"""Query-parameter filters for clause lists and search (django-filter).

Multi-value filters take comma-separated values (``topic=taiwan,ukraine-crisis``) and repeated
parameters (``topic=taiwan&topic=ukraine-crisis``). The contract (README "Parameters"), which the schema states
with the patterns and enums below:

- a value of the wrong shape (a slug with a space or a control character, an unknown ``kind``, a bad date), or a
  parameter given empty (``date_before=``), is a 400 naming the parameter: the schema forbids it;
- a slug of the right shape that names nothing (``topic=no-such-topic``) is a 404 naming the parameter and the
  value (``StrictFilterBackend``), never a silently empty page: the request was well formed, what it asks for is
  not there.

django-filter validates the parameters (the filters' form fields); what they say is then described as a
``statements.selection.ClauseSelection`` (``selection()``), from which the queryset is filtered
(``filter_queryset``) and the fast paths write their SQL.
"""

import copy
import dataclasses
import datetime
import re

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation

from statements import search
from statements.api.errors import UnknownValues
from statements.models import READING_ORDER, Clause, Document, DocumentKind, Party, Topic, TopicAlias
from statements.selection import ClauseSelection

ISO_DATE = ["%Y-%m-%d"]
KINDS = ", ".join(DocumentKind.values)


# The shapes the schema states (``pattern``; regular expressions that read the same in ECMA and Python) and the
# filters check. A slug or code is Django's validate_slug; a list is comma-separated, spaces around items allowed.
SLUG_ITEM = r"[-a-zA-Z0-9_]+"
SLUG = re.compile(SLUG_ITEM)  # fullmatch: "$" would let a final line feed through


def list_pattern(item, at_least=1, at_most=None):
    """A comma-separated list of ``item``s (at_least to at_most of them), as a pattern."""
    more = f"{{{at_least - 1},{'' if at_most is None else at_most - 1}}}"
    return rf"^ *(?:{item}) *(?:, *(?:{item}) *){more}$"


SLUG_LIST_PATTERN = list_pattern(SLUG_ITEM)
KIND_LIST_PATTERN = list_pattern("|".join(DocumentKind.values))
ORDERING_FIELDS = ("date", "position", "updated_at")
ORDERING_PATTERN = rf"^-?(?:{'|'.join(ORDERING_FIELDS)})(?:,-?(?:{'|'.join(ORDERING_FIELDS)}))*$"
# Free text: at least one character other than a space, and no NUL (PostgreSQL's text cannot hold it).
Q_PATTERN = r"^[^\u0000]*[^\u0000 ][^\u0000]*$"
Q_MESSAGE = "Give words to search for (not only spaces, no NUL character)."


class CommaSeparatedWidget(forms.SelectMultiple):
    """Reads ``a,b`` and repeated ``x=a&x=b`` alike into a list of values (spaces around each one dropped; an empty
    one kept, for the field to refuse)."""

    def value_from_datadict(self, data, files, name):
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name) or ""]
        values = [value.strip(" ") for item in raw for value in item.split(",")]
        return [] if values == [""] else values


class Declared:
    """A filter copied shallowly for each filter set. django-filter deep-copies every declared filter for every
    filter set (each request), and building those copies, and a form field from each, cost as much as the rest of a
    filtered page. These filters are never changed once declared and their form class is built once
    (``ClauseFilterSet.get_form_class``); a copy has its own attributes (the filter set sets ``model`` and
    ``parent``)."""

    def __deepcopy__(self, memo):
        return copy.copy(self)


class ChoiceFilter(Declared, django_filters.MultipleChoiceFilter):
    pass


class DateFilter(Declared, django_filters.DateFilter):
    pass


class CharFilter(Declared, django_filters.CharFilter):
    pass


class SlugChoiceField(forms.Field):
    """Slugs (or codes) of existing rows of ``model`` (its ``to_field_name``), cleaned to {value: id}: a value of
    another shape is ``invalid`` (a 400), one that names nothing ``unknown`` (a 404, see
    StrictFilterBackend).

    One query for the values' ids, without the model instances a ModelMultipleChoiceField builds."""

    widget = CommaSeparatedWidget

    def __init__(self, *, model, to_field_name, **kwargs):
        self.model, self.to_field_name = model, to_field_name
        super().__init__(**kwargs)

    def clean(self, value):
        values = value or []
        for item in values:
            if not SLUG.fullmatch(item):
                raise forms.ValidationError(self.error_messages["invalid_slug"], code="invalid", params={"value": item})
        found = self.named_ids(values) if values else {}
        for item in values:
            if item not in found:
                message = self.error_messages["invalid_choice"]
                raise forms.ValidationError(message, code="unknown", params={"value": item})
        return {item: found[item] for item in values}

    def named_ids(self, values):
        """{value: id} of those of ``values`` that name a row: one query (the views cache what valid parameters
        mean per data version, ``ClauseSelectionMixin.validated``)."""
        named = self.model.objects.filter(**{f"{self.to_field_name}__in": values})
        return dict(named.values_list(self.to_field_name, "pk"))


class SlugChoiceFilter(Declared, django_filters.Filter):
    """A filter of ``SlugChoiceField``; its values are read by the filter set's ``selection``."""

    field_class = SlugChoiceField


class TopicChoiceField(SlugChoiceField):
    """Topic slugs; a retired topic's slug (a TopicAlias) stands for the topics it moved to, so a URL published
    with it keeps selecting the same clauses. Aliases are looked up only when a slug names no topic."""

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError as error:
            if error.code != "unknown":
                raise
            homes = TopicAlias.objects.homes(value or ())
            if not homes:
                raise
            return super().clean([home for item in value for home in homes.get(item, [item])])


class TopicChoiceFilter(SlugChoiceFilter):
    field_class = TopicChoiceField


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
        if timezone.is_naive(moment):
            return timezone.make_aware(moment, datetime.UTC)
        # In UTC: PostgreSQL refuses offsets beyond +-15:59 (ISO 8601 and Python allow up to 23:59), which aborted
        # the request's transaction; a moment that leaves Python's range once in UTC is refused here.
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None


class DateOrDateTimeFilter(Declared, django_filters.Filter):
    field_class = DateOrDateTimeField


def unknown_value_messages(noun, listing):
    return {
        "invalid_choice": f"Unknown {noun} '%(value)s'. See {listing} for the list.",
        "invalid_slug": f"'%(value)s' is not a {noun}: letters, digits, hyphens and underscores, comma-separated.",
    }


class StrictForm(forms.Form):
    """A parameter given with nothing in it (``date_before=``, ``topic=``) is refused, not read as "no filter": the
    schema says what each one holds, and an empty string is none of those."""

    def clean(self):
        cleaned_data = super().clean()
        for name in self.fields:
            if name in self.data and name not in self.errors and not any(self.data.getlist(name)):
                self.add_error(name, forms.ValidationError(BLANK, code="blank", params={"name": name}))
        return cleaned_data


BLANK = "Give a value for %(name)s, or leave the parameter out."


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, with the errors of ``validate``: 404 for values that name nothing, else 400."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        validate(filterset)
        return filterset.qs


def validate(filterset):
    """Raise the filter set's errors, if any: a 404 naming the parameters (UnknownValues) when every one is a value
    of the right shape that names nothing, else a 400 naming each (the request is malformed)."""
    if filterset.is_valid():
        return
    errors = filterset.form.errors.as_data()
    if all(error.code == "unknown" for field_errors in errors.values() for error in field_errors):
        raise UnknownValues(
            {
                name: " ".join(message for error in field_errors for message in error)
                for name, field_errors in errors.items()
            }
        )
    raise translate_validation(filterset.errors)


class ClauseFilterSet(django_filters.FilterSet):
    """The filters clause lists and search share."""

    document = SlugChoiceFilter(
        model=Document,
        to_field_name="slug",
        error_messages=unknown_value_messages("document", "/api/v1/documents/"),
    )
    kind = ChoiceFilter(
        choices=DocumentKind.choices,
        field_name="document__kind",
        widget=CommaSeparatedWidget,
        distinct=False,
        error_messages={"invalid_choice": f"Unknown kind '%(value)s'. Kinds: {KINDS}."},
    )
    party = SlugChoiceFilter(
        field_name="parties",
        model=Party,
        to_field_name="code",
        error_messages=unknown_value_messages("party", "/api/v1/parties/"),
    )
    topic = TopicChoiceFilter(
        field_name="topics",
        model=Topic,
        to_field_name="slug",
        error_messages=unknown_value_messages("topic", "/api/v1/topics/"),
    )
    date_after = DateFilter(
        field_name="document__date",
        lookup_expr="gte",
        input_formats=ISO_DATE,
        error_messages={"invalid": "Enter a date as YYYY-MM-DD (ISO 8601), e.g. 2023-03-01."},
    )
    date_before = DateFilter(
        field_name="document__date",
        lookup_expr="lte",
        input_formats=ISO_DATE,
        error_messages={"invalid": "Enter a date as YYYY-MM-DD (ISO 8601), e.g. 2023-03-02."},
    )
    updated_since = DateOrDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Clause
        fields = []
        form = StrictForm

    def get_form_class(self):
        """The form class, built once per filter set class: django-filter builds one, and a field for each filter, for
        every filter set, and nothing in these depends on the request."""
        form_class = type(self).__dict__.get("form_class")
        if form_class is None:
            form_class = type(self).form_class = super().get_form_class()
        return form_class

    def selection(self):
        """What the validated parameters select (call ``is_valid()`` first), with the ids its topics and parties name
        (``ClauseSelection.with_link_ids``: the views keep it for the data version)."""
        data = self.form.cleaned_data
        return ClauseSelection(
            documents=tuple(sorted(data["document"].values())),
            kinds=tuple(data.get("kind") or ()),
            parties=tuple(sorted(data["party"])),
            topics=tuple(sorted(data["topic"])),
            date_after=data.get("date_after"),
            date_before=data.get("date_before"),
            updated_since=data.get("updated_since"),
        ).with_link_ids(self.queryset.db)

    def filter_queryset(self, queryset):
        return self.selection().queryset(queryset)


class ClauseOrderingFilter(Declared, django_filters.OrderingFilter):
    """Orders by the chosen fields, then by reading order, so pages never shuffle between requests."""

    def order_by(self, value):
        """The ORM ordering the validated ``value`` asks for (reading order when it asks for none)."""
        if not value:
            return READING_ORDER
        return (*(self.get_ordering_value(param) for param in value), *READING_ORDER)


class ClauseListFilterSet(ClauseFilterSet):
    """/clauses/: the shared filters, optional free text, and an ordering."""

    q = CharFilter(
        max_length=search.MAX_QUERY_LENGTH,
        strip=False,
        validators=[RegexValidator(Q_PATTERN, Q_MESSAGE)],
    )
    ordering = ClauseOrderingFilter(
        fields=tuple(zip(("document__date", "position", "updated_at"), ORDERING_FIELDS, strict=True)),
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

    q = CharFilter(
        required=True,
        max_length=search.MAX_QUERY_LENGTH,
        strip=False,
        validators=[RegexValidator(Q_PATTERN, Q_MESSAGE)],
        error_messages={"required": "Give the words to search for, e.g. q=industrial park."},
    )

    def search(self):
        """What the validated parameters select, and the query: (selection, q)."""
        return self.selection(), self.form.cleaned_data["q"]

    def filter_queryset(self, queryset):
        """The clauses selected that match ``q``, ranked (search.ranked)."""
        selection = self.selection()
        return search.ranked(selection.queryset(queryset), self.form.cleaned_data["q"])
