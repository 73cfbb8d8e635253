"""The controlled vocabulary: Parties (who speaks or commits) and Topics (a two-level tree of subjects).

Both are linked to clauses through ClauseParty and ClauseTopic (statements.models.corpus). The counts
annotated here reach those link tables through the relations' own fields, so this module needs no
import of the corpus models (which import it).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery


def count_distinct(queryset, field):
    """A correlated subquery counting the distinct values of ``field`` in ``queryset`` (0 when there are none)."""
    counted = Func(F(field), function="COUNT", template="%(function)s(DISTINCT %(expressions)s)")
    return Subquery(queryset.order_by().annotate(n=counted).values("n"), output_field=IntegerField())


def links_of(model):
    """The link model (ClauseParty, ClauseTopic) whose rows point at ``model``: the clause_links relation's."""
    return model._meta.get_field("clause_links").related_model


class PartyQuerySet(models.QuerySet):
    def with_counts(self):
        """Annotate each party with how many clauses it speaks in and how many documents it is party to."""
        party_documents = self.model._meta.get_field("documents").through  # Document.parties.through
        return self.annotate(
            clause_count=count_distinct(links_of(self.model).objects.filter(party=OuterRef("pk")), "clause_id"),
            document_count=count_distinct(party_documents.objects.filter(party=OuterRef("pk")), "document_id"),
        )


class PartyManager(models.Manager.from_queryset(PartyQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Party(models.Model):
    """A state or organisation that speaks or commits in a statement."""

    code = models.SlugField(
        max_length=32,
        unique=True,
        help_text="Stable lowercase code used in URLs and filters, e.g. 'cn' or 'by' (ISO 3166-1 alpha-2 for states).",
    )
    name = models.CharField(max_length=200, help_text='Full official name, e.g. "People\'s Republic of China".')
    short_name = models.CharField(max_length=100, help_text="Common short name, e.g. 'China'.")

    objects = PartyManager()

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "parties"

    def __str__(self):
        return self.short_name

    def natural_key(self):
        return (self.code,)


class TopicQuerySet(models.QuerySet):
    def with_clause_counts(self):
        """Annotate each topic with its own clause and document counts (not its children's)."""
        return self.annotate(
            clause_count=Count("clause_links", distinct=True),
            document_count=Count("clause_links__clause__document", distinct=True),
        )

    def with_descendants(self, slugs):
        """The topics named by ``slugs`` and every child of them (the tree has two levels)."""
        return self.filter(Q(slug__in=slugs) | Q(parent__slug__in=slugs))

    def with_tree_counts(self):
        links = links_of(self.model).objects.filter(Q(topic=OuterRef("pk")) | Q(topic__parent=OuterRef("pk")))
        return self.annotate(
            clause_count=count_distinct(links, "clause_id"),
            document_count=count_distinct(links, "clause__document_id"),
        )


class TopicManager(models.Manager.from_queryset(TopicQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Topic(models.Model):
    """A subject in the controlled vocabulary, e.g. 'Ukraine crisis' under 'International order'."""

    slug = models.SlugField(
        max_length=64, unique=True, help_text="Stable identifier used in URLs and filters, e.g. 'ukraine-crisis'."
    )
    name = models.CharField(max_length=200, help_text="Human-readable name, e.g. 'Ukraine crisis'.")
    description = models.TextField(blank=True, help_text="What the topic covers, written by the curators.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The broader topic this one belongs to; empty for a top-level topic. The tree has two levels.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order among the topic's siblings.")

    objects = TopicManager()

    class Meta:
        ordering = ["position", "slug"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="topic_not_own_parent"),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if self.parent_id is not None:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": "A topic cannot be its own parent."})
            if self.parent.parent_id is not None:
                raise ValidationError({"parent": "Topics have two levels: the parent must be a top-level topic."})
            if self.pk is not None and self.children.exists():
                raise ValidationError({"parent": "This topic has children, so it must stay at the top level."})
