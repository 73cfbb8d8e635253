"""Documents are retired like clauses: a published citation is never reused and answers 410 with its text.

Issue 14, finding 7: deleting a document in the admin deleted its clauses without a trace, a later import
with the same slug gave the same citations to different text, and a retired clause answered 404, not 410.
"""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from statements.models import Clause, ClauseTopic, Document, RetiredClause

from .openapi import assert_error

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
READOUT = "mfa-readout-xi-lukashenko-talks-2023-03-01"
JOINT_STATEMENT = "china-belarus-joint-statement-2023-03-02"
UKRAINE = "looked forward to restoring peace in Ukraine"


def delete_in_the_admin(client, slug):
    document = Document.objects.get(slug=slug)
    url = reverse("admin:statements_document_delete", args=[document.pk])
    return client.post(url, {"post": "yes"})


@pytest.fixture
def retired_joint_statement(admin_client):
    topics = set(ClauseTopic.objects.filter(clause__document__slug=JOINT_STATEMENT, clause__eid="para_39")
                 .values_list("topic__slug", flat=True))  # fmt: skip
    assert delete_in_the_admin(admin_client, JOINT_STATEMENT).status_code == 302
    return topics


def test_deleting_a_document_in_the_admin_retires_it_and_its_clauses(retired_joint_statement):
    assert not Document.objects.filter(slug=JOINT_STATEMENT).exists()
    assert not Clause.objects.filter(document__slug=JOINT_STATEMENT).exists()
    retired = RetiredClause.objects.get_by_natural_key(JOINT_STATEMENT, "para_39")
    assert UKRAINE in retired.text
    assert {link["topic"] for link in retired.links["topics"]} == retired_joint_statement
    assert RetiredClause.objects.filter(document_slug=JOINT_STATEMENT).count() == 43


def test_a_retired_document_answers_410_in_the_error_envelope(api_client, retired_joint_statement):
    response = api_client.get(f"/api/v1/documents/{JOINT_STATEMENT}/")
    body = assert_error(response, 410)
    assert body["code"] == "gone"
    assert JOINT_STATEMENT in body["detail"]
    assert body["retired"]["slug"] == JOINT_STATEMENT
    assert body["retired"]["title"].startswith("Joint statement of the People’s Republic of China")
    assert body["retired"]["successor"] is None
    assert len(body["retired"]["clauses"]) == 43
    assert body["retired"]["clauses"][0]["url"].endswith(f"/api/v1/documents/{JOINT_STATEMENT}/clauses/para_1/")
    for path in ("clauses/", "akn/", "clauses/para_39/similar/"):
        assert_error(api_client.get(f"/api/v1/documents/{JOINT_STATEMENT}/{path}"), 410)


def test_each_of_its_clauses_answers_410_with_its_text(api_client, retired_joint_statement):
    body = assert_error(api_client.get(f"/api/v1/documents/{JOINT_STATEMENT}/clauses/para_39/"), 410)
    assert body["retired"]["citation"] == f"{JOINT_STATEMENT}/para_39"
    assert UKRAINE in body["retired"]["text"]
    assert body["retired"]["label"] == ""  # the Joint Statement does not number its paragraphs
    assert_error(api_client.get(f"/api/v1/documents/{JOINT_STATEMENT}/clauses/para_999/"), 404)


def test_the_reading_page_answers_410_with_the_text_at_each_citation(client, retired_joint_statement):
    response = client.get(f"/documents/{JOINT_STATEMENT}/")
    assert response.status_code == 410
    page = response.content.decode()
    assert 'id="para_39"' in page
    assert UKRAINE in page
    assert "retired" in page.lower()


def test_the_slug_of_a_retired_document_is_never_given_again(admin_client, retired_joint_statement, tmp_path):
    data = {"title": "Other text", "slug": JOINT_STATEMENT, "kind": "readout", "date": "2024-01-01",
            "language": "en", "sections-TOTAL_FORMS": 0, "sections-INITIAL_FORMS": 0,
            "signatories-TOTAL_FORMS": 0, "signatories-INITIAL_FORMS": 0}  # fmt: skip
    response = admin_client.post(reverse("admin:statements_document_add"), data)
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert "retired" in " ".join(response.context["adminform"].form.errors["slug"])
    source = tmp_path / f"{JOINT_STATEMENT}.txt"
    shutil.copy(ROOT / "fixtures" / "sources" / "import" / f"{JOINT_STATEMENT}.txt", source)
    with pytest.raises(CommandError):
        call_command("import_statement", str(source), stdout=StringIO(), stderr=StringIO())
    assert not Document.objects.filter(slug=JOINT_STATEMENT).exists()


def test_a_curator_names_a_successor_and_the_410_points_there(admin_client, api_client, retired_joint_statement):
    from statements.models import RetiredDocument

    retired = RetiredDocument.objects.get(slug=JOINT_STATEMENT)
    url = reverse("admin:statements_retireddocument_change", args=[retired.pk])
    response = admin_client.post(url, {"successor": READOUT, "note": "Superseded by the readout."})
    assert response.status_code == 302, response.context["adminform"].form.errors
    body = assert_error(api_client.get(f"/api/v1/documents/{JOINT_STATEMENT}/"), 410)
    assert body["retired"]["successor"].endswith(f"/api/v1/documents/{READOUT}/")
    assert body["retired"]["note"] == "Superseded by the readout."


def test_a_clause_retired_from_a_live_document_answers_410_too(api_client, client):
    Clause.objects.remove(Clause.objects.get(document__slug=READOUT, eid="para_6"))
    body = assert_error(api_client.get(f"/api/v1/documents/{READOUT}/clauses/para_6/"), 410)
    assert "Ukraine" in body["retired"]["text"]
    page = client.get(f"/documents/{READOUT}/").content.decode()
    assert 'id="para_6"' in page  # the citation still lands on its text, marked retired
