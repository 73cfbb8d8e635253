"""An Atom feed of new and changed documents (Django's syndication framework)."""

from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Document

FEED_SIZE = 50


class DocumentFeed(Feed):
    """The documents most recently added or changed first. A document changes when its record or any of its
    clauses does (a re-import that edits a paragraph moves it to the top)."""

    feed_type = Atom1Feed
    title = "Statements API: new and changed documents"
    subtitle = "Joint statements, readouts and articles, as clean, citable, structured data."

    def link(self):
        return reverse("home")

    def items(self):
        return (
            Document.objects.annotate(changed_at=Greatest("updated_at", Max("clauses__updated_at")))
            .order_by("-changed_at", "slug")
            .prefetch_related("parties")[:FEED_SIZE]
        )

    def item_title(self, document):
        return document.title

    def item_description(self, document):
        parties = ", ".join(party.short_name for party in document.parties.all())
        publisher = f" Published by {document.publisher}." if document.publisher else ""
        return f"{document.get_kind_display()} of {document.date.day} {document.date:%B %Y} ({parties}).{publisher}"

    def item_link(self, document):
        return reverse("document-page", args=[document.slug])

    def item_guid(self, document):
        return f"tag:statements-api,2023:documents/{document.slug}"

    item_guid_is_permalink = False

    def item_pubdate(self, document):
        return document.created_at

    def item_updateddate(self, document):
        return document.changed_at

    def item_author_name(self, document):
        return document.publisher or None

    def item_categories(self, document):
        return [document.get_kind_display()]
