"""A document's parties and signatories say who made them (issue 17): the importer's are machine-assigned with the
rule that found them, what a source's header states is a curator's, a re-import never removes or downgrades a
curator's, a curator confirms in the admin, and migration 0018 kept and classified every existing link."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from statements.attribution import DocumentContext
from statements.attribution.authors import document_parties, infer_signatories
from statements.models import AssignedBy, Document, DocumentParty, Party, Signatory
from tests.migrating import back_to_latest, migrate
from tests.test_import_published import run

READOUT = (
    "---\ntitle: Readout of President Joe Biden’s Call with Prime Minister Fumio Kishida of Japan\n"
    "date: '2024-05-01'\nsource_url: https://www.whitehouse.gov/briefing-room/2024/05/01/call-with-prime-minister-kishida/\n{extra}---\n"
    "President Joseph R. Biden, Jr. spoke today with Prime Minister Fumio Kishida of Japan. The leaders discussed "
    "{topic}.\n"
)
SLUG = "call-with-prime-minister-kishida-2024-05-01"


def write(tmp_path, extra="", topic="the alliance"):
    path = tmp_path / "kishida-call.md"
    path.write_text(READOUT.format(extra=extra, topic=topic), encoding="utf-8")
    return path


def links(slug=SLUG):
    document = Document.objects.get(slug=slug)
    parties = {link.party.code: (link.assigned_by, link.rule) for link in document.party_links.select_related("party")}
    signatories = [(s.name, s.party.code, s.assigned_by, s.rule) for s in document.signatories.order_by("position")]
    return parties, signatories


@pytest.mark.django_db
class TestImport:
    def test_what_the_importer_derives_is_machine_assigned_with_why(self, tmp_path):
        run(write(tmp_path))
        parties, signatories = links()
        assert parties == {
            "us": ("rule", "document parties: publisher"),
            "jp": ("rule", "document parties: title"),
        }
        assert signatories == [
            ("Joe Biden", "us", "rule", "signatories: title"),
            ("Fumio Kishida", "jp", "rule", "signatories: title"),
        ]

    def test_what_the_front_matter_states_is_a_curators_and_nothing_is_added(self, tmp_path):
        run(write(tmp_path, extra="parties: [us, jp]\n"))
        parties, signatories = links()
        assert parties == {"us": ("curator", ""), "jp": ("curator", "")}
        assert signatories == []

    def test_a_reimport_never_removes_or_downgrades_a_curators_party_or_signatories(self, tmp_path):
        run(write(tmp_path))
        document = Document.objects.get(slug=SLUG)
        assert Document.objects.filter(pk=document.pk).confirm_rule_links() == 4
        document.parties.add(Party.objects.get(code="kr"))  # a curator's addition, which no rule finds
        run(write(tmp_path, topic="the alliance and Korea"), "--replace")
        parties, signatories = links()
        assert parties == {"us": ("curator", ""), "jp": ("curator", ""), "kr": ("curator", "")}
        assert [s[2] for s in signatories] == ["curator", "curator"]

    def test_a_reimport_removes_a_machine_party_no_longer_found_and_the_source_may_promote_one(self, tmp_path):
        run(write(tmp_path))
        DocumentParty.objects.filter(document__slug=SLUG, party__code="jp").update(rule="document parties: old")
        DocumentParty.objects.create(
            document=Document.objects.get(slug=SLUG), party=Party.objects.get(code="kr"), assigned_by=AssignedBy.RULE
        )
        run(write(tmp_path, extra="parties: [us, jp]\n"), "--replace")
        parties, _ = links()
        assert parties == {"us": ("curator", ""), "jp": ("curator", "")}  # kr, the machine's, is gone

    def test_the_fixture_output_keeps_provenance_through_loaddata(self, tmp_path):
        out = tmp_path / "out.json"
        run(write(tmp_path), "--fixture", out)
        call_command("loaddata", str(out), verbosity=0)
        parties, signatories = links()
        assert parties["jp"] == ("rule", "document parties: title")
        assert signatories[1] == ("Fumio Kishida", "jp", "rule", "signatories: title")


class TestInference:
    """General rules over the party vocabulary's leaders' titles (statements.attribution.authors)."""

    def signers(self, title, opening, kind="readout", publisher="us"):
        context = DocumentContext(title=title, kind=kind, publisher=publisher)
        parties = list(document_parties(context, [opening]))
        return [(s.name, s.party, s.reason) for s in infer_signatories(context, [opening], parties)]

    def test_a_readouts_leaders_who_spoke(self):
        assert self.signers(
            "Readout of Vice President Harris’s Call with President Boakai of Liberia",
            "Vice President Kamala Harris spoke today with President Joseph Boakai of Liberia.",
        ) == [("Harris", "us", "title"), ("Boakai", "lr", "title")]  # the opening's fuller names are the same people

    def test_a_joint_statement_issued_by_two_leaders(self):
        assert self.signers(
            "Joint Statement by President Jane Roe of Chile and Prime Minister Ann Poe of New Zealand",
            "We met today.",
            kind="joint_statement",
            publisher="",
        ) == [("Jane Roe", "cl", "title"), ("Ann Poe", "nz", "title")]

    def test_leaders_named_with_a_demonym_in_the_opening_sentence(self):
        assert self.signers(
            "U.S.-Mexico Joint Declaration",
            "President Joe Biden hosted Mexican President Andres Manuel Lopez Obrador on March 1.",
            kind="declaration",
        ) == [("Joe Biden", "us", "text"), ("Andres Manuel Lopez Obrador", "mx", "text")]

    def test_a_groups_statement_that_names_nobody_has_none(self):
        assert self.signers("G7 Leaders’ Statement on Ukraine", "We, the Leaders of the G7, condemn ...", "x") == []

    def test_the_document_parties_say_why(self):
        context = DocumentContext(title="Readout of President Biden’s Call with Prime Minister Ishiba of Japan",
                                  kind="readout", publisher="us")  # fmt: skip
        assert document_parties(context, ["President Biden spoke with Prime Minister Ishiba."]) == {
            "us": "publisher",
            "jp": "title",
        }


@pytest.mark.django_db
def test_a_curator_confirms_machine_parties_and_signatories_from_the_document_list(admin_client, tmp_path):
    run(write(tmp_path))
    document = Document.objects.get(slug=SLUG)
    changelist = reverse("admin:statements_document_changelist")
    listed = admin_client.get(changelist, {"review": "rule"}).content.decode()
    assert "Japan ⚙" in listed
    response = admin_client.post(
        changelist, {"action": "confirm_machine_links", "_selected_action": [document.pk]}, follow=True
    )
    assert "Confirmed 4 machine-assigned parties and signatories." in response.content.decode()
    assert not document.party_links.filter(assigned_by=AssignedBy.RULE).exists()
    assert not Signatory.objects.filter(document=document, assigned_by=AssignedBy.RULE).exists()
    assert SLUG not in admin_client.get(changelist, {"review": "rule"}).content.decode()


@pytest.mark.django_db
def test_a_document_party_a_curator_edits_becomes_a_curators(admin_client, tmp_path):
    run(write(tmp_path))
    document = Document.objects.get(slug=SLUG)
    page = admin_client.get(reverse("admin:statements_document_change", args=[document.pk]))
    assert "document parties: title" in page.content.decode()  # the rule, on the document's page


# --- Migration 0019 ------------------------------------------------------------------------------------------

BEFORE = [("statements", "0018_topic_rule_needs_support")]
AFTER = [("statements", "0019_document_party_provenance")]


@pytest.fixture
def old_database(transactional_db):
    """A database at 0017: a seed document (no imported source), an imported readout whose parties are exactly what
    the Markdown reader derives, one a curator changed since, and a text-format import with its own header."""
    call_command("flush", interactive=False, verbosity=0)
    apps = migrate(BEFORE)
    party = apps.get_model("statements", "Party")
    codes = {code: party.objects.create(code=code, name=code, short_name=code) for code in ("us", "jp", "kr", "cn")}
    document, imported = apps.get_model("statements", "Document"), apps.get_model("statements", "ImportedSource")
    section, clause = apps.get_model("statements", "Section"), apps.get_model("statements", "Clause")
    signatory = apps.get_model("statements", "Signatory")
    title = "Readout of President Biden’s Call with Prime Minister Kishida of Japan"
    url = "https://www.whitehouse.gov/briefing-room/2024/05/01/x/"
    made = {}
    for slug, parties, has_source, source_url in [
        ("seed", ["us", "jp"], False, url),
        ("derived", ["us", "jp"], True, url),
        ("edited", ["us", "jp", "kr"], True, url),
        ("text-format", ["jp", "cn"], True, ""),
    ]:
        made[slug] = document.objects.create(
            slug=slug, title=title, kind="readout", date="2024-05-01", source_url=source_url
        )
        made[slug].parties.set([codes[code] for code in parties])
        part = section.objects.create(document=made[slug], position=1, eid="sec_1")
        clause.objects.create(
            document=made[slug], section=part, position=1, eid="para_1", text="President Biden spoke today."
        )
        if has_source:
            imported.objects.create(document=made[slug], file_digest="x", rows_digest="y")
    signatory.objects.create(document=made["seed"], position=1, name="Xi", office="President", party=codes["cn"])
    yield
    back_to_latest()


def test_migration_0018_keeps_every_link_and_marks_only_the_readers_guesses_as_machine(old_database):
    apps = migrate(AFTER)
    link = apps.get_model("statements", "DocumentParty")
    found = {
        (slug, code): (by, rule)
        for slug, code, by, rule in link.objects.values_list("document__slug", "party__code", "assigned_by", "rule")
    }
    assert found == {
        ("seed", "us"): ("curator", ""),  # the seed's fixtures: no imported source
        ("seed", "jp"): ("curator", ""),
        ("derived", "us"): ("rule", "document parties: publisher"),  # what the reader derives
        ("derived", "jp"): ("rule", "document parties: title"),
        ("edited", "us"): ("curator", ""),  # a curator added kr: the set is a curator's
        ("edited", "jp"): ("curator", ""),
        ("edited", "kr"): ("curator", ""),
        ("text-format", "jp"): ("curator", ""),  # a header's own list
        ("text-format", "cn"): ("curator", ""),
    }
    signatory = apps.get_model("statements", "Signatory").objects.get()
    assert (signatory.name, signatory.assigned_by, signatory.rule) == ("Xi", "curator", "")
