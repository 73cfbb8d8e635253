"""Placement rules: where a clause goes, which eid it gets, and how it leaves (``Clause.objects``).

A document's clauses have positions 1..N, contiguous; sections are runs of consecutive clauses; an eid,
half of a published citation, never changes and is never given to other text, even after its clause is
retired. The admin (adding, moving and deleting clauses) and the importer (re-importing a document) both
place clauses through these methods, so the rules are written once.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max, Min
from django.utils import timezone

from .eids import next_para
from .retired import RetiredClause

# Added to positions while a run of rows moves: the unique (document, position) constraints are checked row
# by row, so a run cannot shift in place (see move_from; the importer reorders whole documents the same way).
POSITION_SHIFT = 1_000_000


class ClausePlacement(models.Manager):
    """The clause manager's placement methods (statements.models.corpus.ClauseManager adds the queryset's)."""

    def get_by_natural_key(self, document_slug, eid):
        return self.get(document__slug=document_slug, eid=eid)

    def next_position(self, document):
        """The position after the document's last clause."""
        last = self.filter(document=document).aggregate(last=Max("position"))["last"]
        return (last or 0) + 1

    def end_of_section(self, section):
        """The position a clause appended to ``section`` takes: right after the section's last clause
        (or, for an empty section, after the last clause of the sections before it)."""
        last = self.filter(document_id=section.document_id, section__position__lte=section.position).aggregate(
            last=Max("position")
        )["last"]
        return (last or 0) + 1

    def next_eid(self, document):
        """``para_N`` with N one past the highest para_N ever used in the document, retired clauses included."""
        return next_para(self.used_eids(document, startswith="para_"))

    def used_eids(self, document, startswith=""):
        """Every eid the document's clauses have, or its retired clauses had: none may be given out again."""
        return {
            *self.filter(document=document, eid__startswith=startswith).values_list("eid", flat=True),
            *RetiredClause.objects.filter(document=document, eid__startswith=startswith).values_list("eid", flat=True),
        }

    def check_new_clause(self, section, eid, position):
        """A ValidationError naming the field, where a new clause cannot take this eid or position in ``section``
        (a blank eid or position is always fine: insert fills them in)."""
        document, errors = section.document, {}
        if eid and self.filter(document=document, eid=eid).exists():
            errors["eid"] = (
                f"{document.slug}/{eid} already cites another clause. Leave the eid blank to get the next free "
                f"one ({self.next_eid(document)})."
            )
        elif eid and RetiredClause.objects.filter(document=document, eid=eid).exists():
            errors["eid"] = (
                f"{document.slug}/{eid} was retired (see Retired clauses): a citation is never given to other "
                f"text. Leave the eid blank to get the next free one ({self.next_eid(document)})."
            )
        if position is not None:
            end = self.end_of_section(section)
            first = section.clauses.aggregate(first=Min("position"))["first"] or end
            if not first <= position <= end:
                errors["position"] = (
                    f"A new clause in section {section.eid} takes a position from {first} to {end} (sections are "
                    f"runs of consecutive clauses). Leave it blank for {end}, the end of the section."
                )
        if errors:
            raise ValidationError(errors)

    def check_section_move(self, clause, section):
        """A ValidationError on ``section`` unless ``clause`` can move there and sections stay runs of consecutive
        clauses: it can become the last clause of the section before its own or the first of the one after."""
        others = self.filter(document_id=clause.document_id).exclude(pk=clause.pk)
        if (
            others.filter(position__lt=clause.position, section__position__gt=section.position).exists()
            or others.filter(position__gt=clause.position, section__position__lt=section.position).exists()
        ):
            raise ValidationError(
                {
                    "section": f"Sections are runs of consecutive clauses: this clause (position {clause.position}) "
                    "can only become the last clause of the section before its own or the first of the section "
                    "after it."
                }
            )

    def move_from(self, document, position, by):
        """Move the document's clauses at ``position`` and after by ``by`` places (+1 makes room, -1 closes
        a gap). Their eids, the citations, stay; their updated_at moves, since their position changed."""
        self.filter(document=document, position__gte=position).update(position=F("position") + POSITION_SHIFT)
        self.filter(document=document, position__gte=POSITION_SHIFT).update(
            position=F("position") - POSITION_SHIFT + by, updated_at=timezone.now()
        )

    def insert(self, clause):
        """Save a new clause into its section, filling in a blank position (the end of the section) and a
        blank eid (next_eid); the clauses after it move down one place."""
        document_model = self.model._meta.get_field("document").related_model
        with transaction.atomic():
            # Lock the document so that two curators adding clauses at once cannot take the same position or eid.
            document = document_model.objects.select_for_update().get(pk=clause.section.document_id)
            clause.document = document
            if clause.position is None:
                clause.position = self.end_of_section(clause.section)
            if not clause.eid:
                clause.eid = self.next_eid(document)
            self.move_from(document, clause.position, by=1)
            clause.save(force_insert=True)
        return clause

    def retire(self, clause):
        """Keep ``clause`` as a RetiredClause (text and links; its eid is never given out again) and delete it.
        The positions after it are left as they are (``remove`` closes the gap; a re-import renumbers them all)."""
        RetiredClause.objects.create(
            document_id=clause.document_id,
            document_slug=clause.document.slug,
            eid=clause.eid,
            label=clause.label,
            text=clause.text,
            links=clause.links_record(),
        )
        clause.delete()

    def remove(self, clause):
        """Retire a clause and close the gap in positions."""
        with transaction.atomic():
            self.retire(clause)
            self.move_from(clause.document_id, clause.position + 1, by=-1)
