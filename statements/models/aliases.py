"""Alias eids: other citations of a clause, so that a better parser never breaks a published one."""

from django.db import models

from .eids import EID_VALIDATOR


class ClauseAliasManager(models.Manager):
    def get_by_natural_key(self, document_slug, eid):
        return self.get(document__slug=document_slug, eid=eid)

    def clause_eid(self, document_slug, eid):
        """The eid of the clause that ``document_slug/eid`` is an alias of, or None."""
        return self.filter(document__slug=document_slug, eid=eid).values_list("clause_eid", flat=True).first()


class ClauseAlias(models.Model):
    """Another eid that cites a clause: the number a re-import gave a paragraph that lacked it (``para_33``
    for the clause first published as ``para_p34``). A request for it redirects (301) to the clause's own eid;
    like every eid it is never given to other text, even after its clause is retired."""

    document = models.ForeignKey(
        "statements.Document", on_delete=models.CASCADE, related_name="clause_aliases", help_text="The document."
    )
    eid = models.CharField(max_length=100, validators=[EID_VALIDATOR], help_text="The alias: another citation.")
    clause_eid = models.CharField(
        max_length=100, validators=[EID_VALIDATOR], help_text="The eid of the clause it cites (which never changes)."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the alias was recorded.")

    objects = ClauseAliasManager()

    class Meta:
        verbose_name_plural = "clause aliases"
        ordering = ["document", "eid"]
        constraints = [models.UniqueConstraint(fields=["document", "eid"], name="clausealias_unique_eid")]

    def __str__(self):
        return f"{self.document.slug}/{self.eid} → {self.clause_eid}"

    def natural_key(self):
        return (self.document.slug, self.eid)

    natural_key.dependencies = ["statements.document"]
