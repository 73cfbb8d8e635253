"""An Atom feed of new and changed documents (Django's syndication framework)."""

from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .characters import xml_safe
from .models import Document

FEED_SIZE = 50


class XmlSafeAtom1Feed(Atom1Feed):
    """Atom, robust to what is stored: every text of an entry goes through ``xml_safe``, since one control character
    in one document's publisher would otherwise make Django refuse to write the feed (a 500 for every reader)."""

    def add_item(self, title, link, description, **kwargs):
        safe = {name: xml_safe(value) if isinstance(value, str) else value for name, value in kwargs.items()}
        if safe.get("categories"):
            safe["categories"] = [xml_safe(str(category)) for category in safe["categories"]]
        super().add_item(xml_safe(title), link, xml_safe(description), **safe)


class DocumentFeed(Feed):
    """The documents most recently added or changed first. A document changes when its record or any of its
    clauses does (a re-import that edits a paragraph moves it to the top)."""

    feed_type = XmlSafeAtom1Feed
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
        """The summary, as HTML (Atom's ``summary type="html"``): the data in it is escaped, so a feed reader shows
        a publisher's ``<img onerror=...>`` as text instead of running it (the XML writer escapes once more)."""
        parties = ", ".join(party.short_name for party in document.parties.all())
        publisher = f" Published by {document.publisher}." if document.publisher else ""
        kind = document.get_kind_display()
        return escape(f"{kind} of {document.date.day} {document.date:%B %Y} ({parties}).{publisher}")

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
