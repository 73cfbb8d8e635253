"""ImportedSource: what the last import of a document read, so that importing the same file again costs no reading.

A file is recognised by its digest (its bytes, its format, and the reader's own fingerprint: the importer's code
and the party vocabulary, statements.importing.digests). It is "unchanged" without being parsed when its
document still holds exactly the rows that import gave it (``rows_digest``); a curator's edit since, or a better
parser, sends it through the full read and comparison again. Not served by the API (no data-version trigger).
"""

from django.db import models


class ImportedSource(models.Model):
    """The file a document was last imported from, as digests, and the warnings reading it gave."""

    document = models.OneToOneField(
        "statements.Document",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="imported_source",
        help_text="The document the file gave.",
    )
    file_digest = models.CharField(
        max_length=64,
        db_index=True,
        help_text="SHA-256 of the file's bytes, its format and the reader's fingerprint (importing.digests).",
    )
    rows_digest = models.CharField(
        max_length=64, help_text="SHA-256 of the document's rows as that file gives them (fields, sections, clauses)."
    )
    warnings = models.JSONField(default=list, blank=True, help_text="The warnings reading it gave: [line, kind, text].")
    read_at = models.DateTimeField(auto_now=True, help_text="When an import last read the file.")

    class Meta:
        verbose_name = "imported source"

    def __str__(self):
        return f"{self.document_id}: {self.file_digest[:12]}"
