"""Clause text is data, never markup: a search snippet and the Atom feed's HTML summary carry it escaped.

Issue 14, finding 1: a clause holding ``"><img src=x onerror=alert(1)>`` came back live in ``snippet``
(next to the ``<mark>`` tags, so a client sets the snippet as HTML), and the feed's ``summary type="html"``
was escaped once only, so a feed reader rendered a publisher's markup. Both databases' highlighters.
"""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from statements.models import Clause, Document

from .factories import document_with_clauses

pytestmark = pytest.mark.django_db
HOSTILE = '"><img src=x onerror=alert(1)> Fish & <b>chips</b> zanzibarite'
ATOM = {"atom": "http://www.w3.org/2005/Atom"}


class Tags(HTMLParser):
    """The start tags an HTML parser (a browser's innerHTML) would create from a string."""

    def __init__(self, markup):
        super().__init__()
        self.found = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.found.append(tag)


@pytest.fixture
def hostile_clause():
    document = document_with_clauses(1, slug="hostile")
    Clause.objects.filter(document=document).update(text=HOSTILE)
    return document


def test_a_snippet_is_the_escaped_text_with_only_the_matches_marked(api_client, hostile_clause):
    response = api_client.get("/api/v1/search/", {"q": "zanzibarite"})
    assert response.status_code == 200, response.content
    (result,) = response.json()["results"]
    assert result["text"] == HOSTILE  # the data itself is verbatim
    snippet = result["snippet"]
    assert Tags(snippet).found == ["mark"], snippet
    assert "&lt;img src=x onerror=alert(1)&gt;" in snippet
    # (ts_headline leaves out what it parses as a tag, such as <b>; the SQLite highlighter keeps it, escaped.)
    assert "Fish &amp;" in snippet and "chips" in snippet and "<b>" not in snippet


def test_a_snippet_marks_a_word_next_to_an_escaped_character(api_client):
    document = document_with_clauses(1, slug="ampersand")
    Clause.objects.filter(document=document).update(text="Trade & zanzibarite<investment>")
    (result,) = api_client.get("/api/v1/search/", {"q": "zanzibarite"}).json()["results"]
    assert Tags(result["snippet"]).found == ["mark"]
    assert "Trade &amp; <mark>zanzibarite</mark>" in result["snippet"]
    assert "<investment>" not in result["snippet"]


def test_markup_in_a_document_reaches_a_feed_reader_as_text(client):
    Document.objects.filter(slug="china-belarus-joint-statement-2023-03-02").update(publisher=HOSTILE)
    response = client.get("/feeds/documents.atom")
    assert response.status_code == 200
    entries = ET.fromstring(response.content).findall("atom:entry", ATOM)
    summaries = [entry.find("atom:summary", ATOM) for entry in entries]
    hostile = [summary for summary in summaries if "zanzibarite" in summary.text]
    assert len(hostile) == 1
    assert hostile[0].get("type") == "html"
    # What a feed reader renders: the summary's text parsed as HTML. It must create no element at all.
    assert Tags(hostile[0].text).found == []
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile[0].text
