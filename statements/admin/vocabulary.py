"""The vocabulary's admin: parties, and topics shown as a tree, each with its clause and document counts."""

from django.contrib import admin
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.html import format_html

from statements.models import Clause, Document, Topic

from .common import admin_changelist_link


class PartyAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "name", "clause_count", "document_count"]
    search_fields = ["code", "short_name", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

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

    list_display = ["tree_name", "slug", "clause_count", "document_count"]
    list_filter = [TopLevelTopicFilter]
    search_fields = ["name", "slug", "description", "parent__name"]
    fields = ["name", "slug", "parent", "position", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent").with_tree_counts()

    def get_ordering(self, request):
        # Parents sort by their own position, children by their parent's, each right after its parent.
        return TOPIC_TREE_ORDER

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Topic.objects.filter(parent=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
