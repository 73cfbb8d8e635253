"""The importer's tagging rules, as data curators edit: topic rules and party aliases."""

from django.contrib import admin


class TopicRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "topic", "kind", "needs_support", "enabled"]
    list_filter = ["enabled", "kind", "needs_support"]
    list_select_related = ["topic__parent"]
    search_fields = ["name", "pattern", "note", "topic__slug"]
    list_editable = ["enabled"]


class PartyAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "party", "kind", "enabled"]
    list_filter = ["enabled", "kind", "party"]
    list_select_related = ["party"]
    search_fields = ["alias", "note"]
    list_editable = ["enabled"]
