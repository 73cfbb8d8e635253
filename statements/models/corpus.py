"""The corpus: Documents, divided into Sections, which hold Clauses, the smallest citable unit.

A clause's citation is ``<document slug>/<clause eid>`` and never changes once published (placement
rules: statements.models.placement). Topics and Parties (statements.models.vocabulary) are attached to
clauses through link models that record who made the link (a curator or an importer rule), so machine
tagging can be reviewed and never silently replaces a curator's work.

Over 400 lines because the three corpus models and their querysets/managers belong together (each refers to the
others' fields and ordering); placement, retirement and vocabulary already live in their own modules.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from statements.characters import RefusesControlCharacters

from .eids import EID_VALIDATOR
from .placement import ClausePlacement
from .provenance import AssignedBy, Link, Provenance
from .retired import RetiredDocument
from .vocabulary import Party, Topic


class DocumentKind(models.TextChoices):
    ARTICLE = "article", "Article"
    READOUT = "readout", "Readout"
    JOINT_STATEMENT = "joint_statement", "Joint statement"
    LEADERS_STATEMENT = "leaders_statement", "Leaders’ statement"
    COMMUNIQUE = "communique", "Communiqué"
    DECLARATION = "declaration", "Declaration"
    PRESS_RELEASE = "press_release", "Press release"
    SPEECH = "speech", "Speech"


def party_links():
    """DocumentParty's rows (statements.models.document_party, registered after Document: see there)."""
    return Document.parties.through.objects.all()


class DocumentQuerySet(models.QuerySet):
    def with_clause_counts(self):
        return self.annotate(clause_count=Count("clauses", distinct=True))

    def with_metadata(self):
        """Documents with their party links (and parties), signatories (and their parties) and clause counts, in 3
        queries."""
        return self.with_clause_counts().prefetch_related(
            Prefetch("party_links", queryset=party_links().select_related("party").order_by("party__code")),
            Prefetch("signatories", queryset=Signatory.objects.select_related("party")),
        )

    def with_rule_links(self):
        """Documents with a machine-assigned (importer rule) party or signatory: the review queue."""
        return self.filter(
            Q(pk__in=party_links().filter(assigned_by=AssignedBy.RULE).values("document"))
            | Q(pk__in=Signatory.objects.filter(assigned_by=AssignedBy.RULE).values("document"))
        )

    def confirm_rule_links(self):
        """A curator confirms these documents' machine-assigned parties and signatories: they become a curator's.

        Returns the number confirmed. The documents' updated_at moves, as for any edit.
        """
        confirmed = 0
        for links in (party_links(), Signatory.objects.all()):
            confirmed += links.filter(document__in=self, assigned_by=AssignedBy.RULE).update(
                assigned_by=AssignedBy.CURATOR, rule=""
            )
        if confirmed:
            self.update(updated_at=timezone.now())
        return confirmed


class DocumentManager(models.Manager.from_queryset(DocumentQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Document(RefusesControlCharacters):
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
        through="DocumentParty",
        blank=True,
        related_name="documents",
        help_text="States or organisations the document is between or about; each link records who made it "
        "(DocumentParty).",
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
        if self._state.adding and RetiredDocument.objects.filter(slug=self.slug).exists():
            raise ValidationError({"slug": retired_slug_message(self.slug)})

    def record(self):
        """The document's own fields, parties and signatories as plain data: what a RetiredDocument keeps."""
        own = {field.name: field.value_to_string(self) for field in self._meta.concrete_fields if field.name != "id"}
        return {
            **own,
            "parties": [party.code for party in self.parties.order_by("code")],
            "signatories": [
                {
                    "position": s.position,
                    "name": s.name,
                    "office": s.office,
                    "party": s.party.code,
                    "assigned_by": s.assigned_by,
                    "rule": s.rule,
                }
                for s in self.signatories.select_related("party").order_by("position")
            ],
        }


def retired_slug_message(slug):
    """Why ``slug`` cannot be given to a new document (the admin's form and the importer say the same)."""
    return (
        f"The slug '{slug}' belonged to a document that was retired (see Retired documents): it begins published "
        "citations, so it is never given to another document. Choose another slug."
    )


class SignatoryManager(models.Manager):
    def get_by_natural_key(self, document_slug, position):
        return self.get(document__slug=document_slug, position=position)


class Signatory(Provenance, RefusesControlCharacters):
    """A person who signed a document, in the order of the signature block, or, where the text names them instead
    (a readout's leaders who met or spoke; "issued by President X of A and Prime Minister Y of B"), a leader the
    importer found there (machine-assigned, open to review); either way with who recorded it (Provenance)."""

    document = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        related_name="signatories",
        help_text="The document signed.",
        db_index=False,  # the unique constraints below lead with it: their index serves it (migration 0020)
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


class Section(RefusesControlCharacters):
    """A run of consecutive clauses within a document (preamble, a thematic part, closing)."""

    document = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        related_name="sections",
        help_text="The document this section is part of.",
        db_index=False,  # the unique constraints below lead with it: their index serves it (migration 0020)
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


# The order a reader of the corpus reads clauses in: the default of every clause list.
READING_ORDER = ("document__date", "document__slug", "position")


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
        """By document date, then document slug, then position: the order a reader of the corpus reads in."""
        return self.order_by(*READING_ORDER)

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


class ClauseManager(ClausePlacement.from_queryset(ClauseQuerySet)):
    """Clauses: the queryset's methods and the placement rules (statements.models.placement)."""


class Clause(RefusesControlCharacters):
    """One paragraph of a document, verbatim: the smallest citable unit."""

    document = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        related_name="clauses",
        help_text="The document; always the section's document (enforced by the database).",
        db_index=False,  # the unique constraints below lead with it: their index serves it (migration 0020)
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


class ClauseLinkManager(models.Manager):
    def get_by_natural_key(self, document_slug, eid, target_key):
        target, key = self.model.TARGET
        return self.get(clause__document__slug=document_slug, clause__eid=eid, **{f"{target}__{key}": target_key})


class ClauseLink(Link):
    """What every clause–topic and clause–party link records: who made it, by which rule, when (Link).

    A link's natural key is its clause's and its target's (``TARGET``: the linked field and the field naming it);
    fixtures load links after the clauses and the vocabulary they point to (their foreign keys say so).
    """

    TARGET = None  # (the linked field, its natural key field), e.g. ("topic", "slug")

    objects = ClauseLinkManager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.clause} → {self.target_key()} ({self.assigned_by})"

    def target_key(self):
        target, key = self.TARGET
        return getattr(getattr(self, target), key)

    def natural_key(self):
        return (*self.clause.natural_key(), self.target_key())


class ClauseTopic(ClauseLink):
    """A clause tagged with a topic, and who tagged it."""

    TARGET = ("topic", "slug")

    clause = models.ForeignKey(
        Clause,
        on_delete=models.CASCADE,
        related_name="topic_links",
        help_text="The clause.",
        db_index=False,  # the unique constraints below lead with it: their index serves it (migration 0020)
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="clause_links", help_text="The topic.")

    class Meta:
        ordering = ["clause", "topic"]
        constraints = [models.UniqueConstraint(fields=["clause", "topic"], name="clausetopic_unique")]


class ClauseParty(ClauseLink):
    """A party that speaks or commits in a clause, and who attributed it."""

    TARGET = ("party", "code")

    clause = models.ForeignKey(
        Clause,
        on_delete=models.CASCADE,
        related_name="party_links",
        help_text="The clause.",
        db_index=False,  # the unique constraints below lead with it: their index serves it (migration 0020)
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="clause_links", help_text="The party.")

    class Meta:
        ordering = ["clause", "party"]
        verbose_name_plural = "clause parties"
        constraints = [models.UniqueConstraint(fields=["clause", "party"], name="clauseparty_unique")]
