"""The controlled vocabulary: Parties (who speaks or commits) and Topics (a two-level tree of subjects).

A party is a state, an organisation or a group (Party.kind); its other names (aliases, demonyms) are
PartyName rows and a group's or organisation's members PartyMembership rows, so curators edit them one by
one in the admin. The shipped parties come from statements.vocabulary (pycountry + curated data).

Both are linked to clauses through ClauseParty and ClauseTopic (statements.models.corpus). The counts
annotated here reach those link tables through the relations' own fields, so this module needs no
import of the corpus models (which import it).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery

from statements.characters import RefusesControlCharacters
from statements.vocabulary.records import Kind, NameKind, UNStatus
from statements.vocabulary.topics import CAP_MAJOR_TOPICS


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

    def with_names_and_members(self):
        """Prefetch each party's names and its members (each with the member party): 3 queries in all."""
        return self.prefetch_related(
            "names", models.Prefetch("memberships", queryset=PartyMembership.objects.select_related("member"))
        )


class PartyManager(models.Manager.from_queryset(PartyQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Party(RefusesControlCharacters):
    """A state, organisation or group that speaks or commits in a statement."""

    code = models.SlugField(
        max_length=32,
        unique=True,
        help_text="Stable lowercase code used in URLs and filters: ISO 3166-1 alpha-2 for a state ('cn', 'us'), "
        "a slug of more than two letters for an organisation or group ('nato', 'african-union'; only 'eu' and 'un' "
        "have two).",
    )
    name = models.CharField(max_length=200, help_text='Full official name, e.g. "People’s Republic of China".')
    short_name = models.CharField(max_length=100, help_text="The name a reader expects, e.g. 'China'.")
    kind = models.CharField(
        max_length=16,
        choices=Kind.CHOICES,
        default=Kind.STATE,
        help_text="A state; an organisation (it speaks as itself); or a group, whose statements are its members'.",
    )
    un_status = models.CharField(
        max_length=16,
        choices=UNStatus.CHOICES,
        blank=True,
        help_text="A state's standing at the United Nations; empty for organisations and groups.",
    )
    note = models.TextField(blank=True, help_text="For curators: why a name is here or not, what to watch for.")
    members = models.ManyToManyField(
        "self",
        through="PartyMembership",
        through_fields=("group", "member"),
        symmetrical=False,
        related_name="member_of",
        blank=True,
        help_text="A group's or organisation's members (the formal ones).",
    )

    objects = PartyManager()

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=Kind.STATE) | Q(un_status=""),
                name="party_un_status_only_for_states",
                violation_error_message="Only a state has a UN status: leave it empty for an organisation or group.",
            ),
        ]

    def __str__(self):
        return self.short_name

    def natural_key(self):
        return (self.code,)


class PartyNameManager(models.Manager):
    def get_by_natural_key(self, party_code, name):
        return self.get(party_id=party_code, name=name)


class PartyName(RefusesControlCharacters):
    """Another name statements call a party by: an alias ("U.S.", "ROK") or a demonym ("Chinese")."""

    # By code (to_field): the fixture names the party as it is cited, and loading it needs no look-up per row.
    party = models.ForeignKey(
        Party, to_field="code", on_delete=models.CASCADE, related_name="names", help_text="The party named."
    )
    name = models.CharField(
        max_length=200,
        help_text="As statements write it, case included ('U.S.', 'the' left out). The matcher also reads it with "
        "straight or curly apostrophes, any dash for a hyphen, any white space for a space, and in capitals.",
    )
    kind = models.CharField(max_length=16, choices=NameKind.CHOICES, default=NameKind.ALIAS, help_text="What it is.")

    objects = PartyNameManager()

    class Meta:
        ordering = ["party", "kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["party", "name"], name="partyname_unique")]

    def __str__(self):
        return f"{self.name} → {self.party_id}"

    def natural_key(self):
        return (self.party_id, self.name)  # party_id is the party's code

    natural_key.dependencies = ["statements.party"]

    def clean(self):
        """A name of two parties names neither (the matcher ignores it): refuse it here, where a curator sees why."""
        others = Party.objects.exclude(code=self.party_id)
        taken = others.filter(Q(name=self.name) | Q(short_name=self.name) | Q(names__name=self.name)).first()
        if taken is not None:
            raise ValidationError({"name": f"“{self.name}” already names {taken} ({taken.code})."})


class PartyMembershipManager(models.Manager):
    def get_by_natural_key(self, group_code, member_code):
        return self.get(group_id=group_code, member_id=member_code)


class PartyMembership(models.Model):
    """A party is (or was) a member of a group or organisation: "We, the Leaders of the G7" are its members'."""

    group = models.ForeignKey(
        Party,
        to_field="code",
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text="The group or organisation.",
    )
    member = models.ForeignKey(
        Party,
        to_field="code",
        on_delete=models.CASCADE,
        related_name="memberships_in",
        help_text="The member (a state, or an organisation such as the EU in the G20).",
    )
    since = models.DateField(
        null=True, blank=True, help_text="When it joined; empty if it was a member before the corpus's years (2020)."
    )
    until = models.DateField(null=True, blank=True, help_text="When it left; empty while it is a member.")

    objects = PartyMembershipManager()

    class Meta:
        ordering = ["group", "pk"]  # as recorded: the order the data files list members in
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="partymembership_unique"),
            models.CheckConstraint(condition=~Q(group=F("member")), name="partymembership_not_own_member"),
            models.CheckConstraint(
                condition=Q(since__isnull=True) | Q(until__isnull=True) | Q(since__lte=F("until")),
                name="partymembership_since_before_until",
                violation_error_message="A member cannot leave before it joined.",
            ),
        ]

    def __str__(self):
        return f"{self.member_id} in {self.group_id}"

    def natural_key(self):
        return (self.group_id, self.member_id)  # the parties' codes

    natural_key.dependencies = ["statements.party"]


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


class Topic(RefusesControlCharacters):
    """A subject in the controlled vocabulary, e.g. 'Ukraine crisis' under 'International order'."""

    slug = models.SlugField(
        max_length=64, unique=True, help_text="Stable identifier used in URLs and filters, e.g. 'ukraine-crisis'."
    )
    name = models.CharField(max_length=200, help_text="Human-readable name, e.g. 'Ukraine crisis'.")
    # The scope note is the topic's one definition: what it covers, what it does not, where the borderline goes
    # (fixtures/vocabulary/topics.yaml). The API has always called it description; the name stays.
    description = models.TextField(
        "scope note",
        blank=True,
        help_text="The scope note: what the topic covers, what it does not and where the borderline with its "
        "neighbours goes. Annotators and rule writers read it (docs/annotation-guidelines.md).",
    )
    cap_code = models.PositiveSmallIntegerField(
        "CAP major topic",
        choices=CAP_MAJOR_TOPICS,
        null=True,
        blank=True,
        help_text="The Comparative Agendas Project major topic this topic maps to (docs/topic-vocabulary.md), "
        "for joining with CAP-coded data: a child's is its parent's unless the vocabulary says otherwise "
        "(labour: Labor). Required on a top-level topic.",
    )
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
        elif self.cap_code is None:
            raise ValidationError({"cap_code": "A top-level topic maps to a CAP major topic: choose one."})
        if TopicAlias.objects.filter(slug=self.slug).exists():
            raise ValidationError({"slug": f"'{self.slug}' is a former topic's slug (a topic alias): choose another."})

    @property
    def cap_major_topic(self):
        """{"code", "name"} of the topic's CAP major topic, or None when it has none."""
        return None if self.cap_code is None else {"code": self.cap_code, "name": self.get_cap_code_display()}


class TopicAliasQuerySet(models.QuerySet):
    def homes(self, slugs):
        """{alias slug: [slugs of the topics it now means, the main one first]} for those of ``slugs`` that are
        aliases."""
        found = {}
        for alias, topic in self.filter(slug__in=slugs).order_by("slug", "position").values_list("slug", "topic__slug"):
            found.setdefault(alias, []).append(topic)
        return found


class TopicAliasManager(models.Manager.from_queryset(TopicAliasQuerySet)):
    def get_by_natural_key(self, slug, topic_slug):
        return self.get(slug=slug, topic__slug=topic_slug)


class TopicAlias(models.Model):
    """A former topic's slug and a topic it now means: published URLs and filters (``?topic=<old slug>``,
    ``/api/v1/topics/<old slug>/``) keep working after a topic is retired into others. A retired topic split in
    two has two rows; the first (``position``) is the main home, where the topic's URL redirects (301)."""

    slug = models.SlugField(max_length=64, help_text="The former topic's slug, e.g. 'strategic-partnership'.")
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="aliases", help_text="A topic the former slug now means."
    )
    position = models.PositiveSmallIntegerField(default=1, help_text="1 for the main home, 2... for the others.")
    note = models.TextField(blank=True, help_text="Why it moved there (from the vocabulary's mapping).")

    objects = TopicAliasManager()

    class Meta:
        ordering = ["slug", "position"]
        verbose_name_plural = "topic aliases"
        constraints = [
            models.UniqueConstraint(fields=["slug", "topic"], name="topicalias_unique"),
            models.UniqueConstraint(fields=["slug", "position"], name="topicalias_unique_position"),
        ]

    def __str__(self):
        return f"{self.slug} → {self.topic.slug}"

    def natural_key(self):
        return (self.slug, self.topic.slug)

    natural_key.dependencies = ["statements.topic"]

    def clean(self):
        if Topic.objects.filter(slug=self.slug).exists():
            raise ValidationError({"slug": f"'{self.slug}' is a topic's slug: an alias names a former topic."})
