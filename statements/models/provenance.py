"""Who made an editorial assertion: a curator, or an importer rule (machine-assigned, open to review).

``Provenance`` is the one definition of the fields that record it (``assigned_by``, ``rule``), shared by every
editorial assertion: a document's signatories (Signatory) and, with when it was made (``Link``: ``created_at``), a
clause's topics and parties (statements.models.corpus.ClauseLink) and a document's parties (``DocumentParty``).
A curator's assertion always wins: imports and re-tagging add, change or remove only the machine's, and a curator
confirms a machine's by making it theirs.
"""

from django.db import models


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
