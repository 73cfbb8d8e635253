"""The vocabulary's admin: parties (with their names and members inline), and topics shown as a tree, each with
its clause and document counts."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, format_html_join

from statements.models import Clause, Document, Party, PartyMembership, PartyName, Topic
from statements.models.vocabulary import count_distinct
from statements.vocabulary import Kind

from .common import admin_changelist_link


class PartyNameInline(admin.TabularInline):
    """A party's aliases and demonyms, one a row: what the matcher finds in statements besides its two names."""

    model = PartyName
    fields = ["name", "kind"]
    extra = 1
    verbose_name = "other name"
    verbose_name_plural = "other names (aliases and demonyms: what the matcher also finds)"


class PartyMembershipFormSet(BaseInlineFormSet):
    """Members belong to a group or an organisation, never to a state, and a party is not its own member."""

    def clean(self):
        super().clean()
        members = [form.cleaned_data["member"] for form in self.forms if form.cleaned_data.get("member") and not
                   form.cleaned_data.get("DELETE")]  # fmt: skip
        if members and self.instance.kind == Kind.STATE:
            raise ValidationError("A state has no members: make the party a group or an organisation first.")
        if any(member.code == self.instance.code for member in members):
            raise ValidationError("A party cannot be its own member.")


class PartyMembershipInline(admin.TabularInline):
    """A group's or organisation's members, each with the dates it joined or left (empty: before 2020 / still)."""

    model = PartyMembership
    formset = PartyMembershipFormSet
    fk_name = "group"
    fields = ["member", "since", "until"]
    autocomplete_fields = ["member"]
    extra = 1
    verbose_name_plural = "members (of a group or organisation)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")


class MemberOfFilter(admin.SimpleListFilter):
    """The members of one group or organisation: "member of: G7"."""

    title = "member of"
    parameter_name = "member_of"

    def lookups(self, request, model_admin):
        groups = Party.objects.exclude(kind=Kind.STATE).filter(memberships__isnull=False).distinct()
        return [(group.code, group.short_name) for group in groups.order_by("short_name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(memberships_in__group_id=self.value())
        return queryset


class PartyAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "name", "kind", "un_status", "member_count", "clause_count", "document_count"]
    list_filter = ["kind", "un_status", MemberOfFilter]
    search_fields = ["code", "short_name", "name", "names__name"]
    fields = ["code", "name", "short_name", "kind", "un_status", "note", "member_of_groups"]
    readonly_fields = ["member_of_groups"]
    inlines = [PartyNameInline, PartyMembershipInline]

    def get_queryset(self, request):
        members = PartyMembership.objects.filter(group=OuterRef("code"))
        return super().get_queryset(request).with_counts().annotate(member_count=count_distinct(members, "id"))

    def get_inline_instances(self, request, obj=None):
        # A state has no members: its page shows only its names (and, read-only, what it is a member of).
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and obj.kind == Kind.STATE:
            return [inline for inline in inlines if not isinstance(inline, PartyMembershipInline)]
        return inlines

    @admin.display(description="members", ordering="member_count")
    def member_count(self, party):
        return party.member_count or ""

    @admin.display(description="member of")
    def member_of_groups(self, party):
        groups = Party.objects.filter(memberships__member=party).order_by("short_name")
        return format_html_join(", ", "{}", ((group.short_name,) for group in groups)) or "-"

    @admin.display(description="clauses", ordering="clause_count")
    def clause_count(self, party):
        return admin_changelist_link(Clause, party.clause_count, parties__id__exact=party.pk)

    @admin.display(description="documents", ordering="document_count")
    def document_count(self, party):
        return admin_changelist_link(Document, party.document_count, parties__id__exact=party.pk)


# Topics --------------------------------------------------------------------------------------------


TOPIC_TREE_ORDER = [
    Coalesce("parent__position", "position"),
    Coalesce("parent__slug", "slug"),
    F("parent").asc(nulls_first=True),
    "position",
    "slug",
]


class TopLevelTopicFilter(admin.SimpleListFilter):
    title = "parent topic"
    parameter_name = "parent"

    def lookups(self, request, model_admin):
        return [(topic.slug, topic.name) for topic in Topic.objects.filter(parent=None)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(parent__slug=self.value())
        return queryset


class TopicAdmin(admin.ModelAdmin):
    """Topics as a tree: each parent followed by its children, shown as 'Parent › Child'."""

    list_display = ["tree_name", "slug", "cap_code", "clause_count", "document_count"]
    list_per_page = 250  # the whole tree on one page: the vocabulary has at most ~200 topics (issue 17)
    list_filter = [TopLevelTopicFilter, "cap_code"]
    search_fields = ["name", "slug", "description", "parent__name"]
    fields = ["name", "slug", "parent", "position", "cap_code", "description", "former_slugs"]
    readonly_fields = ["former_slugs"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent").with_tree_counts()

    def get_ordering(self, request):
        # Parents sort by their own position, children by their parent's, each right after its parent.
        return TOPIC_TREE_ORDER

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Topic.objects.filter(parent=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="former slugs (aliases)")
    def former_slugs(self, topic):
        aliases = topic.aliases.order_by("slug")
        return format_html_join(", ", "{}", ((alias.slug,) for alias in aliases)) or "-"

    @admin.display(description="topic")
    def tree_name(self, topic):
        if topic.parent_id:
            return format_html("{} › <strong>{}</strong>", topic.parent.name, topic.name)
        return format_html("<strong>{}</strong>", topic.name)

    @admin.display(description="clauses (with subtopics)", ordering="clause_count")
    def clause_count(self, topic):
        return admin_changelist_link(Clause, topic.clause_count, topic=topic.slug)

    @admin.display(description="documents", ordering="document_count")
    def document_count(self, topic):
        return topic.document_count


class TopicAliasAdmin(admin.ModelAdmin):
    """Former topics' slugs and where they moved: published URLs with them redirect (301) or select the new
    homes (``?topic=``)."""

    list_display = ["slug", "topic", "position", "note"]
    search_fields = ["slug", "topic__slug", "topic__name"]
    autocomplete_fields = ["topic"]
