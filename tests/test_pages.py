"""The pages for people: /, /documents/<slug>/ and /topics/<slug>/ (Django test client)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements.models import Clause, Document, Topic

from .openapi import ARTICLE, JOINT_STATEMENT, READOUT

pytestmark = pytest.mark.django_db


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    assert response["Content-Type"] == "text/html; charset=utf-8"
    return response.content.decode()


def test_home_lists_documents_and_topics(client):
    page = html(client, "/")
    assert '<html lang="en">' in page
    for document in Document.objects.all():
        assert f'href="/documents/{document.slug}/"' in page
    for topic in Topic.objects.all():
        assert f'href="/topics/{topic.slug}/"' in page


def test_reading_page_has_every_clause_anchor_and_chip(client):
    page = html(client, f"/documents/{JOINT_STATEMENT}/")
    assert '<a class="skip-link" href="#main">' in page and '<main id="main"' in page
    clauses = Clause.objects.filter(document__slug=JOINT_STATEMENT).with_context()
    anchors = re.findall(r'<div class="clause" id="([^"]+)">', page)
    assert anchors == [clause.eid for clause in clauses.order_by("position")]
    para_39 = page[page.index('id="para_39"') :].split('<div class="clause"')[0]
    assert clauses.get(eid="para_39").text in para_39  # verbatim (no character needs escaping in it)
    assert '<a class="chip topic-chip" href="/topics/ukraine-crisis/">War in Ukraine</a>' in para_39
    assert '<span class="chip party-chip">China</span>' in para_39
    assert f"{JOINT_STATEMENT}/para_39" in para_39


def test_reading_page_shows_source_translation_and_editorial_markers(client):
    page = html(client, f"/documents/{JOINT_STATEMENT}/")
    assert "People’s Daily" in page
    assert "This text is a translation" in page and "machine translation" in page
    assert page.count("editorial heading</span>") == 10  # every heading was written by the curators
    assert f'href="/api/v1/documents/{JOINT_STATEMENT}/">JSON</a>' in page
    assert f'href="/api/v1/documents/{JOINT_STATEMENT}/akn/">Akoma Ntoso XML</a>' in page
    assert "Xi Jinping, President of the People’s Republic of China" in page
    article = html(client, f"/documents/{ARTICLE}/")
    assert "editorial: dated by the curators" in article and "Note by the curators" in article
    assert "This text is a translation" not in article and "editorial heading" not in article


def test_html_urls_from_the_api_resolve_to_their_anchor(api_client, client):
    clause = api_client.get(f"/api/v1/documents/{READOUT}/clauses/para_6/").json()
    assert clause["html_url"] == f"http://testserver/documents/{READOUT}/#para_6"
    path, anchor = clause["html_url"].removeprefix("http://testserver").split("#")
    assert f'id="{anchor}"' in html(client, path)


def test_topic_page_lists_clauses_across_documents_with_a_chart(client):
    page = html(client, "/topics/ukraine-crisis/")
    assert "<h1>War in Ukraine</h1>" in page
    for slug, eid in [(ARTICLE, "para_4"), (READOUT, "para_6"), (JOINT_STATEMENT, "para_39")]:
        assert f'href="/documents/{slug}/#{eid}"' in page
    assert '<a href="/topics/europe-and-eurasia/">' in page  # the parent, in the breadcrumbs
    chart = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td><span class="bar" style="width: (\d+)%"></span>'
        r'<span class="count">(\d+)</span>',
        page,
    )
    assert ("2023", "100", "3") in chart
    assert {label for label, _, _ in chart} >= {"China", "Belarus", "2023"}


def test_a_parent_topic_page_includes_its_children(client):
    page = html(client, "/topics/trade-and-investment/")
    assert "13 clauses in 3 documents" in page
    assert f'href="/documents/{JOINT_STATEMENT}/#para_18"' in page  # investment, a child
    assert '<a class="chip topic-chip" href="/topics/finance/">Financial cooperation and regulation</a>' in page


@pytest.mark.parametrize("url", ["/documents/no-such-document/", "/topics/no-such-topic/"])
def test_unknown_slugs_are_404(client, url):
    assert client.get(url).status_code == 404


def test_a_retired_topics_page_moved_to_its_new_home(client):
    response = client.get("/topics/strategic-partnership/")
    assert response.status_code == 301
    assert response["Location"] == "/topics/partnership/"


def test_pages_run_constant_queries(client):
    counts = {}
    for url in [f"/documents/{ARTICLE}/", f"/documents/{JOINT_STATEMENT}/", "/topics/taiwan/", "/topics/economy/"]:
        with CaptureQueriesContext(connection) as queries:
            html(client, url)
        counts[url] = len(queries)
    assert counts[f"/documents/{ARTICLE}/"] == counts[f"/documents/{JOINT_STATEMENT}/"]
    assert counts["/topics/taiwan/"] == counts["/topics/economy/"]
    with CaptureQueriesContext(connection) as queries:
        html(client, "/")
    assert len(queries) <= 5
