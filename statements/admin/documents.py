"""Documents, edited with their sections, parties and signatories inline; sections, registered for autocomplete.

A document's parties (DocumentParty) and signatories record who made them: an importer rule's are marked ⚙ with
the rule until a curator confirms them (the list action "Confirm ...") or edits them (a row a curator adds or
changes is a curator's); a re-import never removes or downgrades a curator's.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Count, Prefetch
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin

from statements.models import AssignedBy, Clause, Document, DocumentParty, RetiredDocument, Section, Signatory

from .clauses import ReviewFilter
from .common import admin_changelist_link, api_link, n_clauses


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


class CuratorsOnceEditedForm(forms.ModelForm):
    """A provenance row (statements.models.Provenance) a curator adds or changes becomes a curator's."""

    def save(self, commit=True):
        if self.has_changed():
            self.instance.assigned_by, self.instance.rule = AssignedBy.CURATOR, ""
        return super().save(commit)


class SignatoryForm(CuratorsOnceEditedForm, FixedOnceSavedForm):
    pass


class DocumentPartyInline(admin.TabularInline):
    model = DocumentParty
    form = CuratorsOnceEditedForm
    fields = ["party", "assigned_by", "rule"]
    readonly_fields = ["assigned_by", "rule"]
    autocomplete_fields = ["party"]
    extra = 0
    verbose_name = "party"
    verbose_name_plural = "parties (who the document is between; ⚙ rows were assigned by an importer rule)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document", "party")


class SignatoryInline(admin.TabularInline):
    model = Signatory
    form = SignatoryForm
    fields = ["position", "name", "office", "party", "assigned_by", "rule"]
    readonly_fields = ["assigned_by", "rule"]
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


class DocumentAdmin(SimpleHistoryAdmin):  # "History" lists every change: who, when, which fields, old and new
    list_display = ["title", "kind", "date", "party_codes", "clause_count", "api"]
    list_filter = ["kind", "parties", YearFilter, ReviewFilter]
    search_fields = ["title", "slug"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [DocumentPartyInline, SectionInline, SignatoryInline]
    actions = ["confirm_machine_links"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "date", "date_is_editorial"]}),
        (
            "Source",
            {"fields": ["publisher", "source_url", "language", "is_translation", "original_language"]},
        ),
        ("Editorial", {"fields": ["translation_note", "editorial_note"]}),
        ("Clauses and API", {"fields": ["clauses", "in_api", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_clause_counts()
            .prefetch_related(
                Prefetch("party_links", DocumentParty.objects.select_related("party").order_by("party__short_name"))
            )
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "title":  # titles are long: show them whole
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 100})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["clauses", "in_api", "created_at", "updated_at"]
        # The slug is the first half of every clause citation: fixed once the document exists.
        return ["slug", *readonly] if obj else readonly

    def delete_model(self, request, obj):
        RetiredDocument.objects.retire(obj)  # its slug and its clauses' citations are never given to other text

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for document in queryset:
                RetiredDocument.objects.retire(document)

    # Only for users who may change documents (as the clauses' action).
    @admin.action(
        description="Confirm the machine-assigned parties and signatories of the selected documents",
        permissions=["change"],
    )
    def confirm_machine_links(self, request, queryset):
        confirmed = queryset.confirm_rule_links()
        self.message_user(request, f"Confirmed {confirmed} machine-assigned parties and signatories.", messages.SUCCESS)

    @admin.display(description="parties")
    def party_codes(self, document):
        # A machine-assigned party is marked ⚙, as on the clause list (its rule is on the document's page).
        return format_html_join(
            ", ", "{}{}", ((link.party.short_name, " ⚙" if link.rule else "") for link in document.party_links.all())
        )

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


class RetiredDocumentAdmin(admin.ModelAdmin):
    """Documents deleted in the admin: kept for the record; a curator may name a successor and write a note, which
    the 410 answer for their citations shows."""

    list_display = ["slug", "title", "date", "retired_at", "successor"]
    search_fields = ["slug", "title"]
    fields = ["slug", "title", "kind", "date", "retired_at", "successor", "note", "record"]
    readonly_fields = ["slug", "title", "kind", "date", "retired_at", "record"]

    def has_add_permission(self, request):
        return False  # a document is retired by deleting it

    def has_delete_permission(self, request, obj=None):
        return False  # its slug stays taken for good


# Sections: edited inline on their document; registered for the clause form's autocomplete ----------------


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
