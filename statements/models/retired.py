"""Retired clauses: what a deletion or a re-import removed, kept so that no citation is given to other text."""

from django.db import models

from .eids import EID_VALIDATOR


class RetiredClauseManager(models.Manager):
    def get_by_natural_key(self, document_slug, eid):
        return self.get(document__slug=document_slug, eid=eid)


class RetiredClause(models.Model):
    """A clause that a re-import (--replace) removed: its eid is never reused, and its text and links are kept."""

    document = models.ForeignKey(
        "statements.Document",
        on_delete=models.CASCADE,
        related_name="retired_clauses",
        help_text="The document it was in.",
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
    retired_at = models.DateTimeField(auto_now_add=True, help_text="When the re-import removed it.")

    objects = RetiredClauseManager()

    class Meta:
        ordering = ["document", "eid"]
        constraints = [models.UniqueConstraint(fields=["document", "eid"], name="retiredclause_unique_eid")]

    def __str__(self):
        return f"{self.document.slug}/{self.eid} (retired)"

    def natural_key(self):
        return (self.document.slug, self.eid)

    natural_key.dependencies = ["statements.document"]
