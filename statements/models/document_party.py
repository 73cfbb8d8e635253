"""DocumentParty: a party of a document, and who said so (statements.models.provenance).

Its own module, imported after statements.models.corpus: Django registers models in the order their classes are
made, and ``dumpdata`` orders the rows it writes by that order and by natural-key dependencies; a through model
registered before Document would be written after everything else (after DataVersion, whose row a load writes
before the triggers of later rows bump it), so a dump and load would not round-trip.
"""

from django.db import models

from .provenance import Link
from .vocabulary import Party


class DocumentPartyManager(models.Manager):
    def get_by_natural_key(self, document_slug, party_code):
        return self.get(document__slug=document_slug, party__code=party_code)


class DocumentParty(Link):
    """A party a document is between (its authors; a readout's participants), and who said so.

    The table is the one the plain many-to-many field had (``statements_document_parties``): migration 0019 gave
    it provenance and kept every row.
    """

    document = models.ForeignKey(
        "statements.Document",
        on_delete=models.CASCADE,
        related_name="party_links",
        help_text="The document.",
        db_index=False,  # documentparty_unique leads with it: its index serves it (migration 0020)
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
