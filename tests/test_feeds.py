"""/feeds/documents.atom: an Atom feed of new and changed documents."""

import xml.etree.ElementTree as ET

import pytest

from statements.models import Clause

from .openapi import ARTICLE, JOINT_STATEMENT, READOUT

pytestmark = pytest.mark.django_db
ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def entries(client):
    response = client.get("/feeds/documents.atom")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.find("atom:title", ATOM).text == "Statements API: new and changed documents"
    return feed.findall("atom:entry", ATOM)


def test_every_document_is_an_entry_linking_to_its_reading_page(client):
    found = {entry.find("atom:link", ATOM).get("href"): entry for entry in entries(client)}
    assert set(found) == {f"http://testserver/documents/{slug}/" for slug in (ARTICLE, READOUT, JOINT_STATEMENT)}
    joint_statement = found[f"http://testserver/documents/{JOINT_STATEMENT}/"]
    assert joint_statement.find("atom:title", ATOM).text.startswith("Joint statement of the People’s Republic")
    assert joint_statement.find("atom:updated", ATOM).text.startswith("2026-11-28")
    assert "Joint statement of 2 March 2023" in joint_statement.find("atom:summary", ATOM).text
    assert joint_statement.find("atom:author/atom:name", ATOM).text == "People’s Daily"


def test_a_changed_clause_moves_its_document_to_the_top(client):
    clause = Clause.objects.get(document__slug=READOUT, eid="para_11")
    clause.text += " "
    clause.save()
    first = entries(client)[0]
    assert first.find("atom:link", ATOM).get("href") == f"http://testserver/documents/{READOUT}/"
    assert first.find("atom:updated", ATOM).text[:10] == clause.updated_at.date().isoformat()


def test_pages_link_the_feed(client):
    for url in ("/", f"/documents/{READOUT}/", "/topics/ukraine-crisis/"):
        assert b'<link rel="alternate" type="application/atom+xml"' in client.get(url).content
