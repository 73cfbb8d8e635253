"""The admin's "Import a statement": upload, preview, confirm.

Import is three steps on one URL: upload a source file (Markdown with a YAML front matter as published,
or the text format), read the parsed preview (sections, eids, labels, first words, topics, parties, the
warnings, and what a re-import would change), confirm. The confirm step re-parses the source text carried
in the form, so what is saved is exactly what the importer makes of it, never a stale preview. The size
limit is the command line's: settings.STATEMENTS_IMPORT_MAX_BYTES.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse

from statements.importing import ImportErrorList, decode, diff_draft, known_parties, save_draft, tag_draft
from statements.importing.sources import max_bytes, party_vocabulary, read_source
from statements.models import StatementImport
from statements.models.tagging_rules import load_rules


class UploadForm(forms.Form):
    file = forms.FileField(
        help_text="A UTF-8 source file: a statement as published in Markdown with a YAML front matter (.md), or "
        "the text format (a 'Key: value' header, a blank line, then the body)."
    )
    replace = forms.BooleanField(
        required=False,
        help_text="Update the document if it exists and differs; clauses whose paragraph still exists keep their eid.",
    )
    overwrite_edits = forms.BooleanField(
        required=False,
        help_text="With replace: also overwrite clauses a curator corrected here, and retire those a curator added.",
    )


class ConfirmForm(forms.Form):
    source = forms.CharField(widget=forms.HiddenInput, strip=False)
    filename = forms.CharField(widget=forms.HiddenInput)
    replace = forms.BooleanField(required=False, widget=forms.HiddenInput)
    overwrite_edits = forms.BooleanField(required=False, widget=forms.HiddenInput)


class StatementImportAdmin(admin.ModelAdmin):
    """One screen, no list: the changelist URL is the upload form."""

    def has_module_permission(self, request):
        return self.can_import(request)

    def has_view_permission(self, request, obj=None):
        return self.can_import(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @staticmethod
    def can_import(request):
        return request.user.has_perms(["statements.add_document", "statements.change_document"])

    def changelist_view(self, request, extra_context=None):
        if not self.can_import(request):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self.confirm(request)
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                return self.preview(request, form)
        else:
            form = UploadForm()
        return self.render(request, "upload.html", form=form)

    def preview(self, request, form):
        upload = form.cleaned_data["file"]
        if upload.size > max_bytes():
            form.add_error(
                "file",
                f"The file is {upload.size:,} bytes, over the limit of {max_bytes():,} (STATEMENTS_IMPORT_MAX_BYTES).",
            )
            return self.render(request, "upload.html", form=form)
        data = upload.read()
        try:
            reading = self.read(data, upload.name)
        except ImportErrorList as error:
            return self.render(request, "upload.html", form=form, errors=error.errors, filename=upload.name)
        confirm = ConfirmForm(
            initial={
                "source": decode(data),
                "filename": upload.name,
                "replace": form.cleaned_data["replace"],
                "overwrite_edits": form.cleaned_data["overwrite_edits"],
            }
        )
        return self.render(
            request,
            "preview.html",
            draft=reading.draft,
            warnings=reading.warnings,
            datelines=reading.datelines,
            diff=diff_draft(reading.draft),
            replace=form.cleaned_data["replace"],
            confirm=confirm,
            filename=upload.name,
        )

    def confirm(self, request):
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The preview expired or was tampered with; upload the file again.")
            return HttpResponseRedirect(request.path)
        filename = form.cleaned_data["filename"]
        try:
            draft = self.read(form.cleaned_data["source"], filename).draft
            result = save_draft(
                draft, replace=form.cleaned_data["replace"], overwrite_edits=form.cleaned_data["overwrite_edits"]
            )
        except ImportErrorList as error:
            return self.render(request, "upload.html", form=UploadForm(), errors=error.errors, filename=filename)
        if result.created:
            messages.success(request, f"Imported {filename} as {draft.slug} ({len(draft.clauses())} clauses).")
        elif result.changes:
            messages.success(request, f"Re-imported {filename}: {len(result.changes)} change(s) to {draft.slug}.")
        else:
            messages.info(request, f"{filename} is already imported as {draft.slug}: nothing changed.")
        return HttpResponseRedirect(self.document_url(draft.slug) or request.path)

    @staticmethod
    def read(data, filename):
        """The source read as the command line reads it (statements.importing.sources), then tagged."""
        vocabulary = party_vocabulary()
        find_parties = vocabulary.codes if vocabulary is not None else None
        reading = read_source(data, name=filename, parties=known_parties(), find_parties=find_parties)
        tag_draft(reading.draft, *load_rules(), vocabulary)
        return reading

    def document_url(self, slug):
        document = StatementImport.objects.filter(slug=slug).only("pk").first()
        try:
            return reverse(f"{self.admin_site.name}:statements_document_change", args=[document.pk])
        except NoReverseMatch:
            return None

    def render(self, request, template, **context):
        return TemplateResponse(
            request,
            f"admin/statements/statementimport/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Import a statement",
                **context,
            },
        )
