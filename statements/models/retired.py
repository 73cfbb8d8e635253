"""Retired clauses and documents: what a deletion or a re-import removed, kept so that no citation is given to other
text and every published citation still says where its text went.

A citation is ``<document slug>/<eid>``. A RetiredClause keeps the text and links of one, under that citation
(``document_slug``, ``eid``), whether its document still exists (a clause deleted or dropped by a re-import) or was
retired too. A RetiredDocument keeps a deleted document's record under its slug, which is never given to another
document; a curator may name its ``successor``. The API answers a retired citation 410 with the retired text
(statements.api), the reading page 410 with every retired clause at its anchor (statements.pages).
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction

from .eids import EID_VALIDATOR


class RetiredClauseManager(models.Manager):
    def get_by_natural_key(self, document_slug, eid):
        return self.get(document_slug=document_slug, eid=eid)


class RetiredClause(models.Model):
    """A clause that was deleted, or that a re-import (--replace) removed: its citation is never given to other
    text, and its text and links are kept."""

    document = models.ForeignKey(
        "statements.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retired_clauses",
        help_text="The document it was in, while that document exists (empty once the document is retired too).",
    )
    document_slug = models.SlugField(
        max_length=120, help_text="The slug of the document it was in: the first half of its citation, for good."
    )
    eid = models.CharField(
        max_length=100, validators=[EID_VALIDATOR], help_text="The retired eid; the importer never gives it again."
    )
    label = models.CharField(max_length=32, blank=True, help_text="The clause's label when it was retired.")
    text = models.TextField(help_text="The clause's text when it was retired (verbatim).")
    links = models.JSONField(
        default=dict,
        blank=True,
        help_text="The clause's topic and party links when it was retired: {'topics': [...], 'parties': [...]}, "
        "each with who assigned it.",
    )
    retired_at = models.DateTimeField(auto_now_add=True, help_text="When it was retired.")

    objects = RetiredClauseManager()

    class Meta:
        ordering = ["document_slug", "eid"]
        constraints = [
            models.UniqueConstraint(fields=["document_slug", "eid"], name="retiredclause_unique_citation"),
        ]

    def __str__(self):
        return f"{self.citation} (retired)"

    @property
    def citation(self):
        return f"{self.document_slug}/{self.eid}"

    def natural_key(self):
        return (self.document_slug, self.eid)

    natural_key.dependencies = ["statements.document"]


class RetiredDocumentManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def retire(self, document):
        """Retire ``document``: keep its record as a RetiredDocument and each of its clauses as a RetiredClause
        (text and links), then delete it (its sections, signatories and clauses with it). All or nothing."""
        clauses = document.clauses  # the corpus imports this module: its models are reached through the relations
        with transaction.atomic():
            retired = self.create(
                slug=document.slug,
                title=document.title,
                kind=document.kind,
                date=document.date,
                record=document.record(),
            )
            for clause in clauses.order_by("-position").select_related("document"):
                clauses.model.objects.retire(clause)
            document.delete()
        return retired


class RetiredDocument(models.Model):
    """A document that was deleted: its slug begins published citations, so it is never given to another
    document, and its record says what it was; its clauses are RetiredClauses under the same slug."""

    slug = models.SlugField(max_length=120, unique=True, help_text="The retired slug; never given to a new document.")
    title = models.CharField(max_length=500, help_text="The document's title when it was retired.")
    kind = models.CharField(max_length=32, help_text="What kind of document it was.")
    date = models.DateField(help_text="The document's date.")
    record = models.JSONField(
        default=dict, blank=True, help_text="The document's own fields, parties and signatories when it was retired."
    )
    successor = models.SlugField(
        max_length=120,
        blank=True,
        help_text="The slug of the document that replaces it, if any: the 410 answer for its citations points there.",
    )
    note = models.TextField(blank=True, help_text="Why it was retired, for readers (shown with the 410 answer).")
    retired_at = models.DateTimeField(auto_now_add=True, help_text="When it was retired.")

    objects = RetiredDocumentManager()

    class Meta:
        ordering = ["-retired_at", "slug"]

    def __str__(self):
        return f"{self.slug} (retired)"

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        documents = apps.get_model("statements", "Document").objects  # the corpus imports this module
        if self.successor and not documents.filter(slug=self.successor).exists():
            raise ValidationError({"successor": f"No document '{self.successor}': name a document that exists."})
