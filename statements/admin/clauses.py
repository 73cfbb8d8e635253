"""Clauses: the curators' form (text, placement, topics and parties), the review of machine-assigned links,
and retired clauses (read only).

Topics and parties are linked to clauses through ClauseTopic/ClauseParty, which record who made the
link. The clause form edits them as two autocomplete multi-selects: a curator's additions are
recorded as curator links; links kept keep their provenance, so a machine (importer rule) link stays
marked as such until a curator confirms it (the checkbox on the form, or the list action) or removes
it (unselects it). Placement (positions, eids, retirement) follows Clause.objects
(statements.models.placement), as the importer does.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from statements.models import AssignedBy, Clause, Party, Section, Topic

from .common import WIDE, api_link
from .vocabulary import TOPIC_TREE_ORDER

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
        try:
            if section is not None and not self.instance.pk:
                Clause.objects.check_new_clause(section, cleaned_data.get("eid"), cleaned_data.get("position"))
            elif section is not None and section.pk != self.instance.section_id:
                Clause.objects.check_section_move(self.instance, section)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned_data

    def save_links(self):
        """Save the topics and parties chosen (ClauseAdmin.save_related calls this once the clause is saved)."""
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
    """Clauses or documents with machine-assigned links still to review (their manager's ``with_rule_links``)."""

    title = "assigned by"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("rule", "has machine-assigned links to review"),
            ("curator", "curator links only"),
        ]

    def queryset(self, request, queryset):
        to_review = queryset.model.objects.with_rule_links().values("pk")
        if self.value() == "rule":
            return queryset.filter(pk__in=to_review)
        if self.value() == "curator":
            return queryset.exclude(pk__in=to_review)
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.save_links()

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

    # Only for users who may change clauses: the action changes links (a view-only user ran it, issue 14).
    @admin.action(
        description="Confirm the machine-assigned topics and parties of the selected clauses", permissions=["change"]
    )
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


class RetiredClauseAdmin(admin.ModelAdmin):
    """Clauses deleted, or removed by a re-import: kept for the record, never edited."""

    list_display = ["citation", "label", "retired_at"]
    search_fields = ["=document_slug", "eid", "text"]
    readonly_fields = ["document_slug", "document", "eid", "label", "text", "links", "retired_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
