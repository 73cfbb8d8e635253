"""import_statement on statements as published (Markdown), and what protects citations and curators' work:
alias eids, corrections a re-import must not overwrite, control characters, the size limit, --strict."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from statements.models import Clause, ClauseAlias, Document, Party, RetiredClause

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "whitehouse"
READOUT = "2021-01-22-readout-of-president-joe-biden-call-with-prime-minister-justin-trudeau-of-canada.md"
READOUT_SLUG = "readout-of-president-joe-biden-call-with-prime-minister-justin-trudeau-of-canada-2021-01-22"
INDIA = "2023-06-22-joint-statement-from-the-united-states-and-india.md"
INDIA_SLUG = "joint-statement-from-the-united-states-and-india-2023-06-22"
FRONT = (
    "---\ntitle: United States-Japan Joint Statement\ndate: '2024-05-01'\n"
    "source_url: https://www.whitehouse.gov/briefings-statements/2024/05/us-japan-joint-statement/\n"
    "parties: [us, jp]\n---\n"
)
SLUG = "us-japan-joint-statement-2024-05-01"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_statement", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args):
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_statement", *map(str, args), stdout=StringIO(), stderr=err)
    return err.getvalue()


@pytest.fixture
def parties(db):
    for code, name, short in [
        ("us", "United States of America", "United States"),
        ("ca", "Canada", "Canada"),
        ("in", "Republic of India", "India"),
        ("jp", "Japan", "Japan"),
    ]:
        Party.objects.get_or_create(code=code, defaults={"name": name, "short_name": short})


def write(tmp_path, body, name="statement.md", front=FRONT):
    path = tmp_path / name
    path.write_text(front + body, encoding="utf-8")
    return path


def clauses():
    return Clause.objects.filter(document__slug=SLUG).order_by("position")


def curator_edit(clause, text, username="alice"):
    """What the admin does when a curator corrects a clause: a version saved with the curator as its author."""
    user, _ = get_user_model().objects.get_or_create(username=username)
    clause.text = text
    clause._history_user = user
    clause.save()


@pytest.mark.django_db
class TestMarkdownFiles:
    def test_a_readout_as_published_imports_with_no_header_written_by_hand(self, parties):
        out, _ = run(CORPUS / READOUT)
        assert "1 file(s): 1 created, 0 updated, 0 unchanged; 0 warning(s)." in out
        document = Document.objects.get(slug=READOUT_SLUG)
        assert (document.kind, document.publisher, str(document.date)) == ("readout", "The White House", "2021-01-22")
        # the publisher's state, and the one the title names (the party vocabulary's matcher)
        assert sorted(document.parties.values_list("code", flat=True)) == ["ca", "us"]
        [clause] = document.clauses.all()
        assert (clause.eid, clause.text[:40]) == ("para_1", "President Biden spoke with Canadian Prim")

    def test_a_directory_imports_md_and_txt_but_not_its_readme(self, parties, tmp_path):
        shutil.copy(CORPUS / READOUT, tmp_path)
        shutil.copy(CORPUS / INDIA, tmp_path)
        (tmp_path / "README.md").write_text("# Not a statement\n", encoding="utf-8")
        out, err = run(tmp_path)
        assert "2 file(s): 2 created" in out
        assert [line.split(": ")[-1] for line in err.splitlines() if line.startswith("[")] == ["created", "created"]

    def test_importing_twice_reports_unchanged_for_every_file(self, parties, tmp_path):
        shutil.copy(CORPUS / READOUT, tmp_path)
        shutil.copy(CORPUS / INDIA, tmp_path)
        run(tmp_path)
        out, _ = run(tmp_path)
        assert "2 file(s): 0 created, 0 updated, 2 unchanged" in out

    def test_warnings_are_printed_with_their_line_and_strict_makes_them_errors(self, parties, tmp_path):
        path = write(tmp_path, "Strengthening our shared security\n\nThe partnership is strong.\n")
        _, err = run(path)
        warning = f"{path}:7: warning (heading): a short line with no final punctuation taken as a heading"
        assert any(line.startswith(warning) for line in err.splitlines())
        Document.objects.filter(slug=SLUG).delete()
        err = fails(path, "--strict")
        assert any(line.startswith(warning) for line in err.splitlines())
        assert not Document.objects.filter(slug=SLUG).exists()

    def test_the_dry_run_prints_the_tree_with_datelines(self, parties, tmp_path):
        path = write(tmp_path, "Leuven, Belgium\n\n**Introduction**\n\n1. We met.\n\n2. We agreed.\n")
        out, _ = run(path, "--dry-run")
        assert "  dateline (line 7): Leuven, Belgium" in out
        assert "  sec_1    Introduction" in out
        assert not Document.objects.filter(slug=SLUG).exists()


@pytest.mark.django_db
class TestBadInput:
    """Issue 14, finding 6 (the importer's side): control characters and NUL are refused with their line."""

    @pytest.mark.parametrize("char", ["\x00", "\x0b", "\x0c"])
    def test_control_characters_in_markdown_are_refused_with_the_line(self, parties, tmp_path, char):
        path = write(tmp_path, f"We met.\n\nWe agreed{char} today.\n")
        err = fails(path)
        assert f"{path}:9: control character U+{ord(char):04X} at column 10" in err
        assert not Document.objects.filter(slug=SLUG).exists()

    @pytest.mark.parametrize("char", ["\x00", "\x0b", "\x0c"])
    def test_control_characters_in_the_text_format_are_refused_with_the_line(self, parties, tmp_path, char):
        path = tmp_path / "statement.txt"
        path.write_text(
            f"Title: A readout\nKind: readout\nDate: 2024-04-09\nParties: us\n\nWe met{char}.\n", encoding="utf-8"
        )
        err = fails(path)
        assert f"{path}:6: control character U+{ord(char):04X} at column 7" in err
        assert not Document.objects.filter(slug=SLUG).exists()

    def test_one_size_limit_raised_by_max_bytes(self, parties, tmp_path, settings):
        settings.STATEMENTS_IMPORT_MAX_BYTES = 200
        path = write(tmp_path, "We met. " * 30 + "\n")
        size = path.stat().st_size
        err = fails(path)
        assert f"{path}:0: the file is {size:,} bytes, over the limit of 200 (STATEMENTS_IMPORT_MAX_BYTES" in err
        out, _ = run(path, "--max-bytes", size)
        assert "1 created" in out


@pytest.mark.django_db
class TestStableCitations:
    def test_a_clause_given_its_number_by_a_reimport_keeps_its_eid_and_is_cited_by_both(self, parties, tmp_path):
        # A non-breaking space after "33." was once not read as a number: the paragraph got para_p2.
        path = write(tmp_path, "32. We met.\n\n33 .\u00a0We agreed on all points.\n\n34. We parted.\n")
        run(path)
        assert list(clauses().values_list("eid", "label")) == [
            ("para_32", "32"),
            ("para_2", ""),
            ("para_34", "34"),
        ]
        write(tmp_path, "32. We met.\n\n33.\u00a0We agreed on all points.\n\n34. We parted.\n")
        run(path, "--replace")
        clause = clauses().get(text="We agreed on all points.")
        assert (clause.eid, clause.label) == ("para_2", "33")  # a published citation never changes
        assert list(ClauseAlias.objects.values_list("eid", "clause_eid")) == [("para_33", "para_2")]

    def test_an_alias_redirects_in_the_api_and_on_the_reading_page(self, parties, tmp_path, client):
        path = write(tmp_path, "32. We met.\n\n33 .\u00a0We agreed.\n")
        run(path)
        write(tmp_path, "32. We met.\n\n33.\u00a0We agreed.\n")
        run(path, "--replace")
        response = client.get(f"/api/v1/documents/{SLUG}/clauses/para_33/?format=json")
        assert response.status_code == 301
        assert response["Location"].endswith(f"/api/v1/documents/{SLUG}/clauses/para_2/?format=json")
        assert client.get(response["Location"]).json()["text"] == "We agreed."
        response = client.get(f"/documents/{SLUG}/para_33/")
        assert (response.status_code, response["Location"]) == (301, f"/documents/{SLUG}/#para_2")
        assert client.get(f"/documents/{SLUG}/para_2/")["Location"] == f"/documents/{SLUG}/#para_2"
        assert client.get(f"/documents/{SLUG}/para_99/").status_code == 404
        assert client.get(f"/api/v1/documents/{SLUG}/clauses/para_99/").status_code == 404
        page = client.get(f"/documents/{SLUG}/").content.decode()
        assert '<div class="clause" id="para_2"><span id="para_33"></span>' in page

    def test_an_alias_is_never_given_to_other_text(self, parties, tmp_path):
        path = write(tmp_path, "32. We met.\n\n33 .\u00a0We agreed.\n")
        run(path)
        write(tmp_path, "32. We met.\n\n33.\u00a0We agreed.\n")
        run(path, "--replace")
        document = Document.objects.get(slug=SLUG)
        assert "para_33" in Clause.objects.used_eids(document)


@pytest.mark.django_db
class TestCuratorsCorrections:
    """Issue 14, finding 8: --replace refuses to overwrite a curator's correction unless told, and says which."""

    def test_replace_refuses_to_overwrite_a_corrected_clause_and_names_it(self, parties, tmp_path):
        path = write(tmp_path, "1. We met in Tokio.\n\n2. We agreed.\n")
        run(path)
        curator_edit(clauses().get(eid="para_1"), "We met in Tokyo.")
        write(tmp_path, "1. We met in Tokio.\n\n2. We agreed on all points.\n")
        err = fails(path, "--replace")
        assert "para_1 (changed by the file) was corrected by alice on" in err
        assert "--overwrite-edits" in err
        assert clauses().get(eid="para_1").text == "We met in Tokyo."
        assert clauses().get(eid="para_2").text == "We agreed."  # nothing written

    def test_overwrite_edits_replaces_the_correction(self, parties, tmp_path):
        path = write(tmp_path, "1. We met in Tokio.\n\n2. We agreed.\n")
        run(path)
        curator_edit(clauses().get(eid="para_1"), "We met in Tokyo.")
        out, _ = run(path, "--replace", "--overwrite-edits")
        assert clauses().get(eid="para_1").text == "We met in Tokio."
        assert "1 updated" in out

    def test_a_file_that_agrees_with_the_correction_is_imported(self, parties, tmp_path):
        path = write(tmp_path, "1. We met in Tokio.\n\n2. We agreed.\n")
        run(path)
        curator_edit(clauses().get(eid="para_1"), "We met in Tokyo.")
        write(tmp_path, "1. We met in Tokyo.\n\n2. We agreed on all points.\n")
        run(path, "--replace")
        assert list(clauses().values_list("text", flat=True)) == ["We met in Tokyo.", "We agreed on all points."]

    def test_a_clause_a_curator_added_is_not_retired_unless_told(self, parties, tmp_path):
        path = write(tmp_path, "1. We met.\n\n2. We agreed.\n")
        run(path)
        document = Document.objects.get(slug=SLUG)
        user = get_user_model().objects.create(username="bob")
        added = Clause(section=document.sections.get(), text="A sentence the source forgot.", label="3")
        added._history_user = user
        Clause.objects.insert(added)
        write(tmp_path, "1. We met.\n\n2. We agreed!\n")
        err = fails(path, "--replace")
        assert f"{added.eid} (retired by the file) was added by bob on" in err
        run(path, "--replace", "--overwrite-edits")
        assert RetiredClause.objects.filter(eid=added.eid).exists()

    def test_the_dry_run_says_what_would_change_and_what_a_curator_did(self, parties, tmp_path):
        path = write(tmp_path, "1. The two sides agreed to meet again in May.\n\n2. We agreed.\n")
        run(path)
        curator_edit(clauses().get(eid="para_2"), "We agreed fully.")
        write(tmp_path, "1. The two sides agreed to meet again in June.\n\n2. We agreed.\n")
        out, _ = run(path, "--dry-run")
        lines = out.splitlines()
        assert "    para_1: text “…to meet again in May.” → “…to meet again in June.”" in lines
        assert any(
            line.startswith(
                "    curator's edit overwritten (--overwrite-edits): para_2 (changed by the file) was "
                "corrected by alice on"
            )
            for line in lines
        )
