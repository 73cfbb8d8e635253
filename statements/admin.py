"""The Django admin, the curators' tool: add, correct and tag statements without leaving the browser.

Every list and change page runs a fixed number of queries, whatever the size of the corpus: lists
annotate their counts and prefetch their relations; topics, parties and (until the document is known)
sections are chosen with autocomplete widgets, so no page renders a select of every row in a table.

Topics and parties are linked to clauses through ClauseTopic/ClauseParty, which record who made the
link. The clause form edits them as two autocomplete multi-selects: a curator's additions are
recorded as curator links; links kept keep their provenance, so a machine (importer rule) link stays
marked as such until a curator confirms it (the checkbox on the form, or the list action) or removes
it (unselects it).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db import models, transaction
from django.db.models import Count, F, Min
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import pluralize
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AssignedBy,
    Clause,
    Document,
    Party,
    Section,
    Signatory,
    Topic,
)

EID_LOCKED_HELP = (
    "Locked: the eid is half of the clause's published citation (document slug/eid), which readers quote "
    "and link to, so it never changes, not even when positions move. It cannot be changed here. To correct "
    "a clause published under the wrong eid, add a new clause (it gets the next free eid) and delete this "
    "one: it is kept under Retired clauses, and its eid is never given to another paragraph."
)
POSITION_LOCKED_HELP = (
    "Positions move only when a clause is added before this one or deleted (automatically, keeping 1..N)."
)
EID_BLANK_HELP = "Leave blank for the next free para_N of the document (retired eids are never reused)."
POSITION_BLANK_HELP = (
    "Leave blank to add the clause at the end of its section. Clauses after it move down one place; "
    "their eids, the citations, stay."
)


def api_link(view_name, *args, text=None):
    """A link to an object in the Read API (namespace "v1"), or '-' while the API is not mounted."""
    try:
        url = reverse(view_name, args=args)
    except NoReverseMatch:
        return "-"
    return format_html('<a href="{}">{}</a>', url, text or url)


def n_clauses(n):
    return f"{n} clause{pluralize(n)}"


def admin_changelist_link(model, text, **filters):
    url = reverse(f"admin:statements_{model._meta.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(filters), text)


# Parties -------------------------------------------------------------------------------------------


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "name", "clause_count", "document_count"]
    search_fields = ["code", "short_name", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description="clauses", ordering="clause_count")
    def clause_count(self, party):
        return admin_changelist_link(Clause, party.clause_count, parties__id__exact=party.pk)

    @admin.display(description="documents", ordering="document_count")
    def document_count(self, party):
        return admin_changelist_link(Document, party.document_count, parties__id__exact=party.pk)


# Topics --------------------------------------------------------------------------------------------


TOPIC_TREE_ORDER = [
    Coalesce("parent__position", "position"),
    Coalesce("parent__slug", "slug"),
    F("parent").asc(nulls_first=True),
    "position",
    "slug",
]


class TopLevelTopicFilter(admin.SimpleListFilter):
    title = "parent topic"
    parameter_name = "parent"

    def lookups(self, request, model_admin):
        return [(topic.slug, topic.name) for topic in Topic.objects.filter(parent=None)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(parent__slug=self.value())
        return queryset


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Topics as a tree: each parent followed by its children, shown as 'Parent › Child'."""

    list_display = ["tree_name", "slug", "clause_count", "document_count"]
    list_filter = [TopLevelTopicFilter]
    search_fields = ["name", "slug", "description", "parent__name"]
    fields = ["name", "slug", "parent", "position", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent").with_tree_counts()

    def get_ordering(self, request):
        # Parents sort by their own position, children by their parent's, each right after its parent.
        return TOPIC_TREE_ORDER

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Topic.objects.filter(parent=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="topic")
    def tree_name(self, topic):
        if topic.parent_id:
            return format_html("{} › <strong>{}</strong>", topic.parent.name, topic.name)
        return format_html("<strong>{}</strong>", topic.name)

    @admin.display(description="clauses (with subtopics)", ordering="clause_count")
    def clause_count(self, topic):
        return admin_changelist_link(Clause, topic.clause_count, topic=topic.slug)

    @admin.display(description="documents", ordering="document_count")
    def document_count(self, topic):
        return topic.document_count


# Documents, with their sections and signatories -------------------------------------------------------


class FixedOnceSavedForm(forms.ModelForm):
    """An inline row whose ``fixed_fields`` show but cannot change once the row is saved.

    Positions and eids of sections and signatories are unique within the document; rows save one by
    one, so swapping two of them would collide in the database. A section's position also follows its
    clauses' order, and its eid is a stable identifier.
    """

    fixed_fields = ("position", "eid")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in self.fixed_fields:
                if name in self.fields:
                    self.fields[name].disabled = True


class SectionFormSet(BaseInlineFormSet):
    def clean(self):
        # Before the formset's own duplicate check, which would only say "duplicate data for position".
        self.check_sections()
        super().clean()

    def check_sections(self):
        for form in self.deleted_forms:
            section = form.instance
            if section.pk and section.clauses.exists():
                raise forms.ValidationError(
                    f"Section {section.eid} still holds clauses; delete or move them first "
                    "(deleting a section would delete its clauses, and their citations with them)."
                )
        last = max((form.instance.position for form in self.initial_forms), default=0)
        for form in self.extra_forms:
            position = form.cleaned_data.get("position") if form.has_changed() else None
            if position is not None and position <= last and not self._should_delete_form(form):
                raise forms.ValidationError(
                    f"A new section goes after the last one (position {last + 1} or later): sections are "
                    "ordered like their clauses."
                )


class SectionInline(admin.TabularInline):
    model = Section
    form = FixedOnceSavedForm
    formset = SectionFormSet
    fields = ["position", "eid", "heading", "heading_is_editorial", "clauses"]
    readonly_fields = ["clauses"]

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else 1

    def get_queryset(self, request):
        # Each row's title (str(section)) names the document: join it rather than fetch it per row.
        return super().get_queryset(request).select_related("document").annotate(clause_count=Count("clauses"))

    @admin.display(description="clauses")
    def clauses(self, section):
        if not section.pk:
            return "-"
        add_url = reverse("admin:statements_clause_add") + "?" + urlencode({"section": section.pk})
        return format_html(
            '{} · <a href="{}">add a clause</a>',
            admin_changelist_link(Clause, n_clauses(section.clause_count), section__id__exact=section.pk),
            add_url,
        )


class SignatoryInline(admin.TabularInline):
    model = Signatory
    form = FixedOnceSavedForm
    fields = ["position", "name", "office", "party"]
    autocomplete_fields = ["party"]

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else 1


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(day.year), str(day.year)) for day in Document.objects.dates("date", "year", order="DESC")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if not self.value().isdigit():
            return queryset.none()
        return queryset.filter(date__year=int(self.value()))


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):  # "History" lists every change: who, when, which fields, old and new
    list_display = ["title", "kind", "date", "party_codes", "clause_count", "api"]
    list_filter = ["kind", "parties", YearFilter]
    search_fields = ["title", "slug"]
    autocomplete_fields = ["parties"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [SectionInline, SignatoryInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "date", "date_is_editorial", "parties"]}),
        (
            "Source",
            {"fields": ["publisher", "source_url", "language", "is_translation", "original_language"]},
        ),
        ("Editorial", {"fields": ["translation_note", "editorial_note"]}),
        ("Clauses and API", {"fields": ["clauses", "in_api", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_clause_counts().prefetch_related("parties")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "title":  # titles are long: show them whole
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 100})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["clauses", "in_api", "created_at", "updated_at"]
        # The slug is the first half of every clause citation: fixed once the document exists.
        return ["slug", *readonly] if obj else readonly

    @admin.display(description="parties")
    def party_codes(self, document):
        return ", ".join(party.short_name for party in document.parties.all())

    @admin.display(description="clauses", ordering="clause_count")
    def clause_count(self, document):
        return admin_changelist_link(Clause, document.clause_count, document__id__exact=document.pk)

    @admin.display(description="clauses")
    def clauses(self, document):
        if not document.pk:
            return "Save the document with its sections first, then add clauses to the sections."
        return format_html(
            "{} (add clauses from the Sections below)",
            admin_changelist_link(Clause, n_clauses(document.clause_count), document__id__exact=document.pk),
        )

    @admin.display(description="in the API")
    def in_api(self, document):
        return api_link("v1:document-detail", document.slug) if document.pk else "-"

    @admin.display(description="API")
    def api(self, document):
        return api_link("v1:document-detail", document.slug, text="JSON")


# Sections: edited inline on their document; registered for the clause form's autocomplete ----------------


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "heading", "document"]
    list_select_related = ["document"]
    list_filter = ["document"]
    search_fields = ["document__slug", "document__title", "heading", "=eid"]
    ordering = ["document", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document")

    def has_add_permission(self, request):
        return False  # sections are added on their document's page


# Clauses ----------------------------------------------------------------------------------------------


# Autocomplete widgets wide enough for a topic's whole path or a section's whole name.
WIDE = {"style": "width: 45em"}


class ClauseAdminForm(forms.ModelForm):
    """The clause form: its topics and parties are edited as autocomplete multi-selects (see module docstring)."""

    topic_list = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.select_related("parent"),
        required=False,
        label="Topics",
        widget=AutocompleteSelectMultiple(Clause._meta.get_field("topics"), admin.site, attrs=WIDE),
        help_text="Subjects the clause is about. Topics you add are recorded as a curator's.",
    )
    party_list = forms.ModelMultipleChoiceField(
        queryset=Party.objects.all(),
        required=False,
        label="Parties",
        widget=AutocompleteSelectMultiple(Clause._meta.get_field("parties"), admin.site, attrs=WIDE),
        help_text="Who speaks or commits in the clause; empty for a narrative paragraph. Parties you add are "
        "recorded as a curator's.",
    )
    confirm_rule_links = forms.BooleanField(
        required=False,
        label="Confirm machine-assigned links",
        help_text="Tick to confirm the topics and parties an importer rule assigned (listed above) that you kept: "
        "they become curator links. To reject one, remove it from Topics or Parties.",
    )

    class Meta:
        model = Clause
        fields = ["section", "position", "eid", "label", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10, "cols": 100})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            # Verbatim: a source's leading or trailing (non-breaking) space is part of the text.
            self.fields["text"].strip = False
        if self.instance.pk:
            self.initial.setdefault("topic_list", [topic.pk for topic in self.instance.topics.all()])
            self.initial.setdefault("party_list", [party.pk for party in self.instance.parties.all()])
            for name, help_text in [("eid", EID_LOCKED_HELP), ("position", POSITION_LOCKED_HELP)]:
                if name not in self.fields:
                    continue  # a user who may only view gets no form fields at all
                self.fields[name].disabled = True
                self.fields[name].help_text = help_text
        else:
            for name, help_text in [("eid", EID_BLANK_HELP), ("position", POSITION_BLANK_HELP)]:
                self.fields[name].required = False
                self.fields[name].help_text = help_text
        if "section" in self.fields and (document_id := self.known_document_id()):
            self.offer_sections_of(document_id)

    def known_document_id(self):
        """The document the clause is in, or is being added to when a section is already chosen."""
        if self.instance.pk:
            return self.instance.document_id
        section_id = self.data.get(self.add_prefix("section")) if self.is_bound else self.initial.get("section")
        if section_id and str(section_id).isdigit():
            return Section.objects.filter(pk=section_id).values_list("document_id", flat=True).first()
        return None

    def offer_sections_of(self, document_id):
        """Once the document is known, a short select of its sections by heading replaces the autocomplete
        over every section (whose labels are bare eids): a clause never leaves its document."""
        field = self.fields["section"]
        field.widget = forms.Select()
        field.queryset = Section.objects.filter(document_id=document_id)
        field.label_from_instance = lambda section: f"{section.eid} {section.heading}".strip()
        field.help_text = "The section this clause is in, within its document."

    def clean(self):
        cleaned_data = super().clean()
        section = cleaned_data.get("section")
        if section is not None and not self.instance.pk:
            self.check_new_eid(section.document, cleaned_data.get("eid"))
            self.check_new_position(section, cleaned_data.get("position"))
        elif section is not None and section.pk != self.instance.section_id:
            self.check_section_move(section)
        return cleaned_data

    def check_section_move(self, section):
        clause = self.instance
        others = Clause.objects.filter(document_id=clause.document_id).exclude(pk=clause.pk)
        if (
            others.filter(position__lt=clause.position, section__position__gt=section.position).exists()
            or others.filter(position__gt=clause.position, section__position__lt=section.position).exists()
        ):
            self.add_error(
                "section",
                f"Sections are runs of consecutive clauses: this clause (position {clause.position}) can only "
                "become the last clause of the section before its own or the first of the section after it.",
            )

    def check_new_eid(self, document, eid):
        if not eid:
            return
        if Clause.objects.filter(document=document, eid=eid).exists():
            self.add_error(
                "eid",
                f"{document.slug}/{eid} already cites another clause. Leave the eid blank to get the next free "
                f"one ({Clause.objects.next_eid(document)}).",
            )
        elif document.retired_clauses.filter(eid=eid).exists():
            self.add_error(
                "eid",
                f"{document.slug}/{eid} was retired (see Retired clauses): a citation is never given to other "
                f"text. Leave the eid blank to get the next free one ({Clause.objects.next_eid(document)}).",
            )

    def check_new_position(self, section, position):
        if position is None:
            return
        end = Clause.objects.end_of_section(section)
        first = section.clauses.aggregate(first=Min("position"))["first"] or end
        if not first <= position <= end:
            self.add_error(
                "position",
                f"A new clause in section {section.eid} takes a position from {first} to {end} (sections are runs "
                f"of consecutive clauses). Leave it blank for {end}, the end of the section.",
            )

    def _save_m2m(self):
        super()._save_m2m()
        clause = self.instance
        curator = {"assigned_by": AssignedBy.CURATOR}
        # set() keeps the links still chosen (with who made them), removes the others, adds new ones as a curator's.
        clause.topics.set(self.cleaned_data["topic_list"], through_defaults=curator)
        clause.parties.set(self.cleaned_data["party_list"], through_defaults=curator)
        if self.cleaned_data.get("confirm_rule_links"):
            Clause.objects.filter(pk=clause.pk).confirm_rule_links()


class TopicFilter(admin.SimpleListFilter):
    """Filter by topic; a parent topic also matches its children's clauses."""

    title = "topic"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        topics = Topic.objects.select_related("parent").order_by(*TOPIC_TREE_ORDER)
        return [(topic.slug, str(topic)) for topic in topics]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(pk__in=Clause.objects.on_topics([self.value()]).values("pk"))
        return queryset


class SectionFilter(admin.SimpleListFilter):
    """Filter by section, offered once a document is chosen (the sections of that document)."""

    title = "section"
    parameter_name = "section__id__exact"

    def lookups(self, request, model_admin):
        document_id = request.GET.get("document__id__exact", "")
        if not document_id.isdigit():
            return []
        sections = Section.objects.filter(document_id=document_id)
        return [(str(section.pk), f"{section.eid} {section.heading}".strip()) for section in sections]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(section_id=self.value()) if self.value().isdigit() else queryset.none()
        return queryset


class ReviewFilter(admin.SimpleListFilter):
    title = "assigned by"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("rule", "has machine-assigned links to review"),
            ("curator", "curator links only"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "rule":
            return queryset.filter(pk__in=Clause.objects.with_rule_links().values("pk"))
        if self.value() == "curator":
            return queryset.exclude(pk__in=Clause.objects.with_rule_links().values("pk"))
        return queryset


class ClauseChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # Only the list needs every clause's links (the change page reads one clause's).
        return super().get_queryset(request, exclude_parameters).with_links()


def link_names(links, name):
    """Linked names, a machine-assigned one marked ⚙ with its rule in the tooltip."""
    return format_html_join(
        ", ",
        '<span title="{}">{}{}</span>',
        (
            (
                f"assigned by rule {link.rule}" if link.assigned_by == AssignedBy.RULE else "assigned by a curator",
                name(link),
                " ⚙" if link.assigned_by == AssignedBy.RULE else "",
            )
            for link in links
        ),
    )


@admin.register(Clause)
class ClauseAdmin(SimpleHistoryAdmin):  # "History" lists every change: who, when, which fields, old and new
    form = ClauseAdminForm
    list_display = ["citation", "document_title", "section_heading", "excerpt", "topic_names", "party_names"]
    list_select_related = ["document", "section"]
    list_filter = ["document", TopicFilter, "parties", SectionFilter, ReviewFilter]
    search_fields = ["text", "=eid"]
    ordering = ["document", "position"]
    autocomplete_fields = ["section"]
    actions = ["confirm_machine_links"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document", "section")

    def get_changelist(self, request, **kwargs):
        return ClauseChangeList

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "section":
            formfield.widget.attrs.update(WIDE)
        return formfield

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ["section", "position", "eid", "label", "text"]}),
                ("Tagging (editorial)", {"fields": ["topic_list", "party_list"]}),
            ]
        if self.has_change_permission(request, obj):
            tagging, review = ["topic_list", "party_list"], ["rule_links", "confirm_rule_links"]
        else:  # read only: the links as the list shows them, machine-assigned ones marked
            tagging, review = ["topic_names", "party_names"], ["rule_links"]
        return [
            (None, {"fields": ["citation", "in_api", "section", "position", "eid", "label", "text"]}),
            ("Tagging (editorial)", {"fields": tagging}),
            ("Review", {"fields": review}),
            ("Record", {"fields": ["created_at", "updated_at"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["citation", "rule_links", "in_api", "created_at", "updated_at"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
        else:
            Clause.objects.insert(obj)

    def delete_model(self, request, obj):
        Clause.objects.remove(obj)

    def delete_queryset(self, request, queryset):
        # One at a time, last first, so that each closes its own gap in positions; all or none.
        with transaction.atomic():
            for clause in queryset.order_by("document", "-position"):
                Clause.objects.remove(clause)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" in request.POST:
            # The next clause most likely goes in the same section.
            separator = "&" if "?" in response["Location"] else "?"
            response["Location"] += f"{separator}{urlencode({'section': obj.section_id})}"
        return response

    @admin.action(description="Confirm the machine-assigned topics and parties of the selected clauses")
    def confirm_machine_links(self, request, queryset):
        confirmed = queryset.confirm_rule_links()
        self.message_user(request, f"Confirmed {confirmed} machine-assigned links.", messages.SUCCESS)

    @admin.display(description="citation", ordering="position")
    def citation(self, clause):
        return clause.citation

    @admin.display(description="document", ordering="document")
    def document_title(self, clause):
        return Truncator(clause.document.title).chars(40)

    @admin.display(description="section", ordering="section__position")
    def section_heading(self, clause):
        return f"{clause.section.eid} {clause.section.heading}".strip()

    @admin.display(description="text")
    def excerpt(self, clause):
        return Truncator(clause.text).chars(120)

    @admin.display(description="topics")
    def topic_names(self, clause):
        return link_names(clause.topic_links.all(), lambda link: link.topic.name)

    @admin.display(description="parties")
    def party_names(self, clause):
        return link_names(clause.party_links.all(), lambda link: link.party.short_name)

    @admin.display(description="machine-assigned links")
    def rule_links(self, clause):
        links = [
            *(
                (f"topic {link.topic}", link)
                for link in clause.topic_links.filter(assigned_by=AssignedBy.RULE).select_related("topic__parent")
            ),
            *(
                (f"party {link.party}", link)
                for link in clause.party_links.filter(assigned_by=AssignedBy.RULE).select_related("party")
            ),
        ]
        if not links:
            return "None: every topic and party of this clause was assigned or confirmed by a curator."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{} (rule {}, {})</li>", ((n, k.rule, f"{k.created_at:%Y-%m-%d}") for n, k in links)
            ),
        )

    @admin.display(description="in the API")
    def in_api(self, clause):
        return api_link("v1:document-clause-detail", clause.document.slug, clause.eid)


from . import admin_import  # noqa: E402,F401  (registers the importer's admin)
