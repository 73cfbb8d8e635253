"""Who made an editorial assertion: a curator, or an importer rule (machine-assigned, open to review).

``Provenance`` is the one definition of the fields that record it (``assigned_by``, ``rule``), shared by every
editorial assertion: a document's signatories (Signatory) and, with when it was made (``Link``: ``created_at``), a
clause's topics and parties (statements.models.corpus.ClauseLink) and a document's parties (``DocumentParty``).
A curator's assertion always wins: imports and re-tagging add, change or remove only the machine's, and a curator
confirms a machine's by making it theirs.
"""

from django.db import models

from .vocabulary import Party


class AssignedBy(models.TextChoices):
    """Who made a link: a curator, or an importer rule (machine-assigned)."""

    CURATOR = "curator", "Curator"
    RULE = "rule", "Importer rule"


class Provenance(models.Model):
    """Who made this row, and by which rule."""

    assigned_by = models.CharField(
        max_length=16,
        choices=AssignedBy.choices,
        default=AssignedBy.CURATOR,
        help_text="Who made it: a curator, or an importer rule (machine-assigned, open to review).",
    )
    rule = models.CharField(
        max_length=200, blank=True, help_text="The importer rule that made it; empty for a curator's."
    )

    class Meta:
        abstract = True


class Link(Provenance):
    """A link (a clause's topic or party, a document's party): who made it, by which rule, when."""

    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was made.")

    class Meta:
        abstract = True


class DocumentPartyManager(models.Manager):
    def get_by_natural_key(self, document_slug, party_code):
        return self.get(document__slug=document_slug, party__code=party_code)


class DocumentParty(Link):
    """A party a document is between (its authors; a readout's participants), and who said so.

    The table is the one the plain many-to-many field had (``statements_document_parties``): migration 0018 gave
    it provenance and kept every row.
    """

    document = models.ForeignKey(
        "statements.Document", on_delete=models.CASCADE, related_name="party_links", help_text="The document."
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="document_links", help_text="The party.")

    objects = DocumentPartyManager()

    class Meta:
        db_table = "statements_document_parties"
        ordering = ["document", "party"]
        verbose_name = "document party"
        verbose_name_plural = "document parties"
        constraints = [models.UniqueConstraint(fields=["document", "party"], name="documentparty_unique")]

    def __str__(self):
        return f"{self.document} → {self.party.code} ({self.assigned_by})"

    def natural_key(self):
        return (self.document.slug, self.party.code)

    natural_key.dependencies = ["statements.document", "statements.party"]
