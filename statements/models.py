"""The statement data model.

A Document (joint statement, readout, article, ...) is divided into Sections,
which hold Clauses: the smallest citable unit. A clause's citation is
``<document slug>/<clause eid>`` and never changes once published.

Topics (a two-level tree) and Parties (who speaks or commits) are attached to
clauses through link models that record who made the link (a curator or an
importer rule), so machine tagging can be reviewed and never silently
replaces a curator's work.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Count, F, Func, IntegerField, Max, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from simple_history.models import HistoricalRecords

EID_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9]*_[a-z0-9]+(?:__[a-z][a-z0-9]*_[a-z0-9]+)*$",
    "An eid is lowercase Akoma Ntoso style: a name, an underscore and a number or "
    "label, e.g. para_12 or sec_3 (nested parts joined by a double underscore).",
)


class AssignedBy(models.TextChoices):
    """Who made a clause–topic or clause–party link."""

    CURATOR = "curator", "Curator"
    RULE = "rule", "Importer rule"


def count_distinct(queryset, field):
    """A correlated subquery counting the distinct values of ``field`` in ``queryset`` (0 when there are none)."""
    counted = Func(F(field), function="COUNT", template="%(function)s(DISTINCT %(expressions)s)")
    return Subquery(queryset.order_by().annotate(n=counted).values("n"), output_field=IntegerField())


class PartyQuerySet(models.QuerySet):
    def with_counts(self):
        """Annotate each party with how many clauses it speaks in and how many documents it is party to."""
        return self.annotate(
            clause_count=count_distinct(ClauseParty.objects.filter(party=OuterRef("pk")), "clause_id"),
            document_count=count_distinct(Document.parties.through.objects.filter(party=OuterRef("pk")), "document_id"),
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
        """Annotate clause and document counts that include the topic's children: what ``on_topics`` matches."""
        links = ClauseTopic.objects.filter(Q(topic=OuterRef("pk")) | Q(topic__parent=OuterRef("pk")))
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


class DocumentKind(models.TextChoices):
    ARTICLE = "article", "Article"
    READOUT = "readout", "Readout"
    JOINT_STATEMENT = "joint_statement", "Joint statement"
    LEADERS_STATEMENT = "leaders_statement", "Leaders’ statement"
    STATEMENT = "statement", "Statement"
    COMMUNIQUE = "communique", "Communiqué"
    DECLARATION = "declaration", "Declaration"
    PRESS_RELEASE = "press_release", "Press release"
    SPEECH = "speech", "Speech"


class DocumentQuerySet(models.QuerySet):
    def with_clause_counts(self):
        return self.annotate(clause_count=Count("clauses", distinct=True))

    def with_metadata(self):
        """Documents with parties, signatories (and their parties) and clause counts, in 3 queries."""
        return self.with_clause_counts().prefetch_related(
            "parties",
            Prefetch("signatories", queryset=Signatory.objects.select_related("party")),
        )


class DocumentManager(models.Manager.from_queryset(DocumentQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Document(models.Model):
    """One statement, readout or article, as published by its source."""

    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="Stable, URL-safe identifier; the first half of every clause citation. Never changes.",
    )
    title = models.CharField(max_length=500, help_text="Title as published (verbatim).")
    kind = models.CharField(max_length=32, choices=DocumentKind.choices, help_text="What kind of document this is.")
    date = models.DateField(help_text="Date of the document (publication or signature date).")
    date_is_editorial = models.BooleanField(
        default=False,
        help_text="True where the source gives no date and the curators assigned one (see editorial_note).",
    )
    publisher = models.CharField(
        max_length=300, blank=True, help_text="Who published the text; empty where the source does not say."
    )
    source_url = models.URLField(max_length=1000, blank=True, help_text="Where the text was published, if known.")
    language = models.CharField(max_length=16, default="en", help_text="Language of this text (BCP 47 tag, e.g. 'en').")
    is_translation = models.BooleanField(
        default=False, help_text="True where this text is a translation of an original in another language."
    )
    original_language = models.CharField(
        max_length=16, blank=True, help_text="Language of the original where this is a translation (e.g. 'zh')."
    )
    translation_note = models.TextField(
        blank=True, help_text="Who translated the text, how, and from which original; empty for originals."
    )
    editorial_note = models.TextField(
        blank=True, help_text="Notes the curators add about this document (not part of the source text)."
    )
    parties = models.ManyToManyField(
        Party,
        blank=True,
        related_name="documents",
        help_text="States or organisations the document is between or about.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When this record was created.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When this record last changed.")

    objects = DocumentManager()
    # Every change to a document's own fields: who, when, from what to what (django-simple-history; the admin).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "slug"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if self.is_translation and not self.translation_note.strip():
            raise ValidationError({"translation_note": "Say who translated this text and from what."})
        if not self.is_translation and self.original_language:
            raise ValidationError({"original_language": "Only a translation has an original language."})


class SignatoryManager(models.Manager):
    def get_by_natural_key(self, document_slug, position):
        return self.get(document__slug=document_slug, position=position)


class Signatory(models.Model):
    """A person who signed a document, in the order of the signature block."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="signatories", help_text="The document signed."
    )
    position = models.PositiveIntegerField(help_text="Order in the signature block, from 1.")
    name = models.CharField(max_length=200, help_text="Name as printed in the signature block.")
    office = models.CharField(
        max_length=300, help_text="Office as printed, e.g. 'President of the Republic of Belarus'."
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="signatories", help_text="The party the signatory signed for."
    )

    objects = SignatoryManager()

    class Meta:
        ordering = ["document", "position"]
        verbose_name_plural = "signatories"
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="signatory_unique_position"),
            models.CheckConstraint(condition=Q(position__gte=1), name="signatory_position_from_1"),
        ]

    def __str__(self):
        return f"{self.name}, {self.office}"

    def natural_key(self):
        return (self.document.slug, self.position)

    natural_key.dependencies = ["statements.document", "statements.party"]


class SectionManager(models.Manager):
    def get_by_natural_key(self, document_slug, eid):
        return self.get(document__slug=document_slug, eid=eid)


class Section(models.Model):
    """A run of consecutive clauses within a document (preamble, a thematic part, closing)."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="sections", help_text="The document this section is part of."
    )
    position = models.PositiveIntegerField(help_text="Order of the section within the document, from 1.")
    eid = models.CharField(
        max_length=100,
        validators=[EID_VALIDATOR],
        help_text="Stable identifier within the document, e.g. 'sec_3'.",
    )
    heading = models.CharField(max_length=500, blank=True, help_text="Section heading; empty if there is none.")
    heading_is_editorial = models.BooleanField(
        default=False, help_text="True where the heading was added by the curators and is not in the source."
    )

    objects = SectionManager()

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="section_unique_position"),
            models.UniqueConstraint(fields=["document", "eid"], name="section_unique_eid"),
            models.CheckConstraint(condition=Q(position__gte=1), name="section_position_from_1"),
        ]

    def __str__(self):
        return f"{self.document.slug}/{self.eid}"

    def natural_key(self):
        return (self.document.slug, self.eid)

    natural_key.dependencies = ["statements.document"]


class ClauseQuerySet(models.QuerySet):
    def with_context(self):
        """Clauses with their document, section, topics (with parents) and parties: 3 queries for any number."""
        return self.select_related("document", "section").prefetch_related(
            Prefetch("topics", queryset=Topic.objects.select_related("parent")),
            "parties",
        )

    def with_links(self):
        """Like with_context, plus who assigned each topic and party (the link rows), for review screens."""
        return self.with_context().prefetch_related(
            Prefetch("topic_links", queryset=ClauseTopic.objects.select_related("topic")),
            Prefetch("party_links", queryset=ClauseParty.objects.select_related("party")),
        )

    def in_reading_order(self):
        return self.order_by("document__date", "document__slug", "position")

    def on_topics(self, slugs):
        """Clauses tagged with any of these topics, a parent topic matching its children too."""
        # A semi-join (IN subquery), not a join and DISTINCT: counts and pages stay cheap at a million clauses.
        links = ClauseTopic.objects.filter(topic__in=Topic.objects.with_descendants(slugs))
        return self.filter(pk__in=links.values("clause_id"))

    def by_parties(self, codes):
        """Clauses in which any of these parties speaks or commits."""
        return self.filter(pk__in=ClauseParty.objects.filter(party__code__in=codes).values("clause_id"))

    def with_rule_links(self):
        """Clauses with at least one machine-assigned (importer rule) topic or party: the review queue."""
        return self.filter(
            Q(pk__in=ClauseTopic.objects.filter(assigned_by=AssignedBy.RULE).values("clause"))
            | Q(pk__in=ClauseParty.objects.filter(assigned_by=AssignedBy.RULE).values("clause"))
        )

    def confirm_rule_links(self):
        """A curator confirms these clauses' machine-assigned topics and parties: they become curator links.

        Returns the number of links confirmed. The clauses' updated_at moves, as for any re-tagging.
        """
        confirmed = 0
        for link_model in (ClauseTopic, ClauseParty):
            confirmed += link_model.objects.filter(clause__in=self, assigned_by=AssignedBy.RULE).update(
                assigned_by=AssignedBy.CURATOR, rule=""
            )
        if confirmed:
            self.update(updated_at=timezone.now())
        return confirmed


# Added to positions while a run of clauses moves by one place: the unique (document, position)
# constraint is checked row by row, so a run cannot shift in place (see ClauseManager.move_from).
POSITION_SHIFT = 1_000_000
PARA_EID = re.compile(r"^para_(\d+)$")


class ClauseManager(models.Manager.from_queryset(ClauseQuerySet)):
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
        eids = [
            *self.filter(document=document, eid__startswith="para_").values_list("eid", flat=True),
            *RetiredClause.objects.filter(document=document, eid__startswith="para_").values_list("eid", flat=True),
        ]
        numbers = [int(match[1]) for eid in eids if (match := PARA_EID.match(eid))]
        return f"para_{max(numbers, default=0) + 1}"

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
        with transaction.atomic():
            # Lock the document so that two curators adding clauses at once cannot take the same position or eid.
            document = Document.objects.select_for_update().get(pk=clause.section.document_id)
            clause.document = document
            if clause.position is None:
                clause.position = self.end_of_section(clause.section)
            if not clause.eid:
                clause.eid = self.next_eid(document)
            self.move_from(document, clause.position, by=1)
            clause.save(force_insert=True)
        return clause

    def remove(self, clause):
        """Retire a clause: keep it as a RetiredClause (text and links; its eid is never given out again),
        delete it and close the gap in positions."""
        with transaction.atomic():
            RetiredClause.objects.create(
                document_id=clause.document_id,
                eid=clause.eid,
                label=clause.label,
                text=clause.text,
                links=clause.links_record(),
            )
            clause.delete()
            self.move_from(clause.document_id, clause.position + 1, by=-1)


class Clause(models.Model):
    """One paragraph of a document, verbatim: the smallest citable unit."""

    document = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        related_name="clauses",
        help_text="The document; always the section's document (enforced by the database).",
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="clauses", help_text="The section this clause is in."
    )
    position = models.PositiveIntegerField(help_text="Order of the clause within the document: 1..N, contiguous.")
    eid = models.CharField(
        max_length=100,
        validators=[EID_VALIDATOR],
        help_text="Stable identifier within the document, e.g. 'para_12'. With the document slug it forms "
        "the citation, which never changes once published.",
    )
    label = models.CharField(
        max_length=32,
        blank=True,
        help_text="The source's own number for the paragraph, e.g. '12' or '(a)'; empty when the source "
        "does not number its paragraphs.",
    )
    text = models.TextField(help_text="The paragraph's text exactly as in the source (never paraphrased).")
    topics = models.ManyToManyField(
        Topic,
        through="ClauseTopic",
        related_name="clauses",
        blank=True,
        help_text="Subjects the clause is about (editorial).",
    )
    parties = models.ManyToManyField(
        Party,
        through="ClauseParty",
        related_name="clauses",
        blank=True,
        help_text="Who speaks or commits in the clause (editorial); empty for a narrative paragraph.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When this record was created.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When this record last changed.")

    objects = ClauseManager()
    # Every change to a clause's text, label, section or position: who, when, from what to what (the admin).
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="clause_unique_position"),
            models.UniqueConstraint(fields=["document", "eid"], name="clause_unique_eid"),
            models.CheckConstraint(condition=Q(position__gte=1), name="clause_position_from_1"),
            models.CheckConstraint(condition=~Q(text=""), name="clause_text_not_empty"),
        ]
        indexes = [models.Index(fields=["updated_at"], name="clause_updated_at_idx")]

    def __str__(self):
        return self.citation

    def save(self, *args, **kwargs):
        # The document is derived from the section; the database trigger rejects any disagreement.
        if self.section_id and not self.document_id:
            self.document_id = self.section.document_id
        super().save(*args, **kwargs)

    @property
    def citation(self):
        """The stable citation, ``<document slug>/<eid>``."""
        return f"{self.document.slug}/{self.eid}"

    def natural_key(self):
        return (self.document.slug, self.eid)

    natural_key.dependencies = ["statements.document", "statements.section"]

    def links_record(self):
        """The clause's topic and party links as plain data, each with who made it (kept when it is retired)."""
        return {
            "topics": [
                {"topic": link.topic.slug, "assigned_by": link.assigned_by, "rule": link.rule}
                for link in self.topic_links.select_related("topic")
            ],
            "parties": [
                {"party": link.party.code, "assigned_by": link.assigned_by, "rule": link.rule}
                for link in self.party_links.select_related("party")
            ],
        }

    def clean(self):
        if self.section_id and self.document_id and self.section.document_id != self.document_id:
            raise ValidationError({"section": "The section belongs to another document."})


class ClauseLink(models.Model):
    """What every clause–topic and clause–party link records: who made it, by which rule, when."""

    assigned_by = models.CharField(
        max_length=16,
        choices=AssignedBy.choices,
        default=AssignedBy.CURATOR,
        help_text="Who made the link: a curator, or an importer rule (machine-assigned, open to review).",
    )
    rule = models.CharField(
        max_length=200, blank=True, help_text="The importer rule that made the link; empty for a curator's link."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the link was made.")

    class Meta:
        abstract = True


class ClauseTopicManager(models.Manager):
    def get_by_natural_key(self, document_slug, eid, topic_slug):
        return self.get(clause__document__slug=document_slug, clause__eid=eid, topic__slug=topic_slug)


class ClauseTopic(ClauseLink):
    """A clause tagged with a topic, and who tagged it."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="topic_links", help_text="The clause.")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="clause_links", help_text="The topic.")

    objects = ClauseTopicManager()

    class Meta:
        ordering = ["clause", "topic"]
        constraints = [models.UniqueConstraint(fields=["clause", "topic"], name="clausetopic_unique")]

    def __str__(self):
        return f"{self.clause} → {self.topic.slug} ({self.assigned_by})"

    def natural_key(self):
        return (*self.clause.natural_key(), self.topic.slug)

    natural_key.dependencies = ["statements.clause", "statements.topic"]


class ClausePartyManager(models.Manager):
    def get_by_natural_key(self, document_slug, eid, party_code):
        return self.get(clause__document__slug=document_slug, clause__eid=eid, party__code=party_code)


class ClauseParty(ClauseLink):
    """A party that speaks or commits in a clause, and who attributed it."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="party_links", help_text="The clause.")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="clause_links", help_text="The party.")

    objects = ClausePartyManager()

    class Meta:
        ordering = ["clause", "party"]
        verbose_name_plural = "clause parties"
        constraints = [models.UniqueConstraint(fields=["clause", "party"], name="clauseparty_unique")]

    def __str__(self):
        return f"{self.clause} → {self.party.code} ({self.assigned_by})"

    def natural_key(self):
        return (*self.clause.natural_key(), self.party.code)

    natural_key.dependencies = ["statements.clause", "statements.party"]


# --- The importer's tagging rules (kept as data, editable in the admin) ---------------------------


class RuleKind(models.TextChoices):
    KEYWORDS = "keywords", "Keywords (one phrase a line, whole words, any case)"
    REGEX = "regex", "Regular expression (Python syntax, any case)"


class TopicRuleManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class TopicRule(models.Model):
    """A rule the importer uses to tag clauses with a topic: keywords or a pattern matched in the text."""

    name = models.SlugField(
        max_length=100,
        unique=True,
        help_text="Stable name, recorded on every link the rule makes (ClauseTopic.rule), e.g. 'taiwan'.",
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="rules", help_text="The topic a match tags the clause with."
    )
    kind = models.CharField(
        max_length=16, choices=RuleKind.choices, default=RuleKind.KEYWORDS, help_text="How to read the pattern."
    )
    pattern = models.TextField(
        help_text="Keywords: one phrase a line, matched as whole words in any case. "
        "Regex: one Python regular expression, matched in any case."
    )
    enabled = models.BooleanField(default=True, help_text="Disabled rules are kept but not applied.")
    note = models.TextField(blank=True, help_text="Why the rule exists, what it must not match; for curators.")

    objects = TopicRuleManager()

    class Meta:
        ordering = ["topic", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    natural_key.dependencies = ["statements.topic"]

    def clean(self):
        from .tagging import compile_pattern

        try:
            compile_pattern(self.kind, self.pattern)
        except ValueError as error:
            raise ValidationError({"pattern": str(error)}) from error


class PartyAliasManager(models.Manager):
    def get_by_natural_key(self, alias):
        return self.get(alias=alias)


class PartyAlias(models.Model):
    """A way a statement names a speaking party ("the Chinese side", "Xi Jinping"), or all of them ("the two sides")."""

    alias = models.CharField(
        max_length=200,
        unique=True,
        help_text="The words as they appear, e.g. 'the Chinese side'; with kind 'regex', a pattern. "
        "Recorded on every link it makes (ClauseParty.rule).",
    )
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="aliases",
        help_text="The party the alias names; empty for an alias that names every party of the document "
        "('the two sides').",
    )
    kind = models.CharField(
        max_length=16, choices=RuleKind.choices, default=RuleKind.KEYWORDS, help_text="How to read the alias."
    )
    enabled = models.BooleanField(default=True, help_text="Disabled aliases are kept but not applied.")
    note = models.TextField(blank=True, help_text="Why the alias exists, what it must not match; for curators.")

    objects = PartyAliasManager()

    class Meta:
        ordering = ["party", "alias"]
        verbose_name_plural = "party aliases"

    def __str__(self):
        return f"{self.alias} → {self.party.code if self.party_id else 'all parties'}"

    def natural_key(self):
        return (self.alias,)

    natural_key.dependencies = ["statements.party"]

    def clean(self):
        from .tagging import compile_pattern

        try:
            compile_pattern(self.kind, self.alias)
        except ValueError as error:
            raise ValidationError({"alias": str(error)}) from error


class RetiredClauseManager(models.Manager):
    def get_by_natural_key(self, document_slug, eid):
        return self.get(document__slug=document_slug, eid=eid)


class RetiredClause(models.Model):
    """A clause that a re-import (--replace) removed: its eid is never reused, and its text and links are kept."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="retired_clauses", help_text="The document it was in."
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


class StatementImport(Document):
    """The admin's "Import a statement" screen (upload, preview, confirm); a proxy with no table of its own."""

    class Meta:
        proxy = True
        verbose_name = "statement import"
        verbose_name_plural = "import a statement"


class DataVersion(models.Model):
    """One row: a counter that every write to the published data bumps, and when that happened.

    Database triggers (migration 0005) bump it for every INSERT, UPDATE or DELETE on the tables the API
    serves, whoever writes (admin, importer, loaddata, bulk_create, COPY, raw SQL), in the writer's own
    transaction. The API puts it in its cache keys and ETags, and answers Last-Modified with ``changed_at``.
    """

    version = models.BigIntegerField(default=0, help_text="Bumped by every write to the published data.")
    changed_at = models.DateTimeField(help_text="When the published data last changed.")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="dataversion_single_row")]

    def __str__(self):
        return f"data version {self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
