"""Admin edits keep a history: who changed which clause or document, when, from what to what."""

import pytest
from django.urls import reverse

from statements.models import Clause, Document

from .openapi import JOINT_STATEMENT
from .test_admin import change_url, form_data

pytestmark = pytest.mark.django_db


def test_an_admin_edit_of_a_clause_records_the_user_and_the_old_and_new_text(admin_client, admin_user):
    para_39 = Clause.objects.get(document__slug=JOINT_STATEMENT, eid="para_39")
    old_text = para_39.text
    data = form_data(admin_client.get(change_url(para_39)))
    data["text"] = old_text.replace("Ukraine", "Ukraine (corrected)", 1)
    assert admin_client.post(change_url(para_39), data).status_code == 302

    change = para_39.history.latest()
    assert change.history_type == "~"
    assert change.history_user == admin_user
    assert change.text == data["text"]
    delta = change.diff_against(change.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("text", old_text, data["text"])]

    history_page = admin_client.get(reverse("admin:statements_clause_history", args=[para_39.pk]))
    assert history_page.status_code == 200
    assert admin_user.username in history_page.content.decode()


def test_an_admin_edit_of_a_document_is_recorded(admin_client, admin_user):
    document = Document.objects.get(slug=JOINT_STATEMENT)
    data = form_data(admin_client.get(change_url(document)))
    data["editorial_note"] = "Checked against the People's Daily text."
    assert admin_client.post(change_url(document), data).status_code == 302

    change = document.history.latest()
    assert change.history_user == admin_user
    delta = change.diff_against(change.prev_record)
    assert ("editorial_note", "Checked against the People's Daily text.") in [(c.field, c.new) for c in delta.changes]


def test_deleting_a_clause_in_the_admin_keeps_its_last_text_in_the_history(admin_client, admin_user):
    para_39 = Clause.objects.get(document__slug=JOINT_STATEMENT, eid="para_39")
    url = reverse("admin:statements_clause_delete", args=[para_39.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    deleted = Clause.history.filter(id=para_39.pk).latest()
    assert (deleted.history_type, deleted.text, deleted.history_user) == ("-", para_39.text, admin_user)
