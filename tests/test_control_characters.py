"""Control characters: refused wherever text comes in, harmless wherever stored text goes out.

Issue 14, finding 6: a vertical tab in a document's publisher took /feeds/documents.atom down with a 500 for
everyone; a form feed in a clause made the Akoma Ntoso export not well-formed XML; the admin accepted both (and
NUL); the admin's section autocomplete answered ``term=%00`` with a 500. (The importer's side is issue 16's.)
"""

import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from statements.models import Clause, Document, Party, Section, Topic

pytestmark = pytest.mark.django_db
JOINT_STATEMENT = "china-belarus-joint-statement-2023-03-02"
CONTROL = ["\x00", "\x0b", "\x0c", "\x1b", "\x7f"]


def joint_statement():
    return Document.objects.get(slug=JOINT_STATEMENT)


@pytest.mark.parametrize("character", CONTROL)
def test_the_admin_refuses_a_control_character_in_a_clause_naming_the_field(admin_client, character):
    section = joint_statement().sections.get(eid="sec_10")
    clauses = Clause.objects.count()
    text = f"A new paragraph{character}with a control character."
    response = admin_client.post(reverse("admin:statements_clause_add"), {"section": section.pk, "text": text})
    assert response.status_code == 200  # the form again
    errors = response.context["adminform"].form.errors
    assert "text" in errors
    # (A NUL is refused by the form's own field first: Django's "Null characters are not allowed.")
    assert "control character" in " ".join(errors["text"]) or character == "\x00"
    assert Clause.objects.count() == clauses  # (PostgreSQL cannot even be asked for a text with a NUL)


def test_a_tab_and_line_breaks_are_text_not_control_characters(admin_client):
    section = joint_statement().sections.get(eid="sec_10")
    text = "A list:\n\t- one;\r\n\t- two."
    response = admin_client.post(reverse("admin:statements_clause_add"), {"section": section.pk, "text": text})
    assert response.status_code == 302
    assert Clause.objects.filter(text=text).exists()


@pytest.mark.parametrize(
    ("model", "field"),
    [(Document, "publisher"), (Document, "title"), (Section, "heading"), (Party, "name"), (Topic, "description")],
)
def test_every_text_field_of_the_data_refuses_them(model, field):
    instance = model.objects.first()
    setattr(instance, field, "Ministry\x0bof Foreign Affairs")
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    assert field in refused.value.message_dict
    assert "U+000B" in " ".join(refused.value.message_dict[field])


def test_the_feed_survives_a_control_character_already_stored(client):
    # (Not a NUL: PostgreSQL cannot store one. A character XML cannot hold, loaded before the rule.)
    Document.objects.filter(slug=JOINT_STATEMENT).update(publisher="Ministry\x0bof Foreign Affairs\x1b")
    response = client.get("/feeds/documents.atom")
    assert response.status_code == 200
    ET.fromstring(response.content)  # well-formed
    assert "Ministry\ufffdof Foreign Affairs\ufffd" in response.content.decode()


def test_the_akoma_ntoso_export_survives_a_control_character_already_stored(api_client):
    Clause.objects.filter(document__slug=JOINT_STATEMENT, eid="para_39").update(text="Peace\x0cin Ukraine\x1b.")
    response = api_client.get(f"/api/v1/documents/{JOINT_STATEMENT}/akn/")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # well-formed
    texts = [node.text for node in root.iter() if node.text and "Ukraine" in node.text]
    assert "Peace\ufffdin Ukraine\ufffd." in texts


def test_the_reading_page_survives_them_too(client):
    Clause.objects.filter(document__slug=JOINT_STATEMENT, eid="para_39").update(text="Peace\x0cin Ukraine.")
    assert client.get(f"/documents/{JOINT_STATEMENT}/").status_code == 200


@pytest.mark.parametrize("term", ["%00", "a%00b", "%00%00"])
def test_the_admin_autocomplete_answers_a_nul_without_a_server_error(admin_client, term):
    query = f"app_label=statements&model_name=clause&field_name=section&term={term}"
    response = admin_client.get(f"{reverse('admin:autocomplete')}?{query}")
    assert response.status_code in {200, 400}
    if response.status_code == 200:
        assert response.json()["results"] == []
