"""Spreadsheets never run a clause as a formula; the development superuser gets a real password.

Issue 14, finding 5: the CSV export wrote cells starting with ``=``, ``+``, ``-``, ``@`` as they are (a
spreadsheet runs them: formula injection), and ``ensure_superuser`` accepted the password ``1``.
"""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from statements.models import Clause, Document

from .factories import document_with_clauses

pytestmark = pytest.mark.django_db
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(api_client):
    document = document_with_clauses(len(FORMULAS), slug="formulas")
    for position, text in enumerate(FORMULAS, start=1):
        Clause.objects.filter(document=document, position=position).update(text=text, label=text[:10])
    Document.objects.filter(pk=document.pk).update(title="=cmd|' /C calc'!A0")
    response = api_client.get("/api/v1/clauses/export/", {"format": "csv", "document": "formulas"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["text"] for row in rows] == ["'" + text for text in FORMULAS]
    assert {row["document_title"] for row in rows} == {"'=cmd|' /C calc'!A0"}
    assert all(row["label"].startswith("'") for row in rows)
    # A cell that merely contains such a character further in is left alone.
    assert rows[0]["citation"] == "formulas/para_1"


def test_the_jsonl_export_keeps_the_text_verbatim(api_client):
    document = document_with_clauses(1, slug="formula-json")
    Clause.objects.filter(document=document).update(text="=1+1")
    response = api_client.get("/api/v1/clauses/export/", {"document": "formula-json"})
    assert b'"text":"=1+1"' in b"".join(response.streaming_content)


@pytest.mark.parametrize("password", ["1", "password", "curator1"])
def test_ensure_superuser_refuses_a_password_the_validators_refuse(monkeypatch, django_user_model, password):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "curator")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)
    with pytest.raises(CommandError) as refused:
        call_command("ensure_superuser")
    assert "DJANGO_SUPERUSER_PASSWORD" in str(refused.value)
    assert not django_user_model.objects.filter(username="curator").exists()
