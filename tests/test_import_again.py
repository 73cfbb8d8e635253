"""Importing files again: every file "unchanged", recognised by its digests without being read again (the same
warnings; --strict as strict as before), in queries that do not grow with the number of files; what changed
since (a curator's correction, the party vocabulary) is still seen and --replace protects curators' edits as
before. And a first import's queries do not grow with the number of files either."""

import shutil
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements.models import Clause, Document, Party
from tests.test_import_published import curator_edit, fails, run

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "whitehouse"
WITH_WARNINGS = "2021-09-01-joint-statement-on-the-u-s-ukraine-strategic-partnership.md"
READOUTS = sorted(path.name for path in CORPUS.glob("2021-0[1-3]-*readout*.md"))


def folder(tmp_path, names, name="sources"):
    target = tmp_path / name
    target.mkdir()
    for file_name in names:
        shutil.copy(CORPUS / file_name, target / file_name)
    return target


def queries(*args):
    """The number of queries ``import_statement *args`` makes."""
    with CaptureQueriesContext(connection) as captured:
        run(*args)
    return len(captured.captured_queries)


@pytest.mark.django_db
class TestImportingAgain:
    def test_every_file_is_unchanged_with_the_same_warnings_and_counts(self, tmp_path):
        sources = folder(tmp_path, [WITH_WARNINGS, *READOUTS[:3]])
        first_out, first_err = run(sources)
        assert "4 file(s): 4 created, 0 updated, 0 unchanged;" in first_out
        again_out, again_err = run(sources)
        assert "4 file(s): 0 created, 0 updated, 4 unchanged;" in again_out
        warnings = [line for line in first_err.splitlines() if ": warning (" in line]
        assert warnings and warnings == [line for line in again_err.splitlines() if ": warning (" in line]
        assert first_out.splitlines()[0].split(";")[1] == again_out.splitlines()[0].split(";")[1]  # "N warning(s)."
        assert first_out.splitlines()[1].split(" clauses")[0] == again_out.splitlines()[1].split(" clauses")[0]
        assert again_err.count(": unchanged") == 4

    def test_a_second_import_costs_the_same_queries_for_two_files_or_eight(self, tmp_path):
        two, eight = folder(tmp_path, READOUTS[:2], "two"), folder(tmp_path, READOUTS[2:10], "eight")
        run(two)
        run(eight)
        assert queries(two) == queries(eight) <= 11

    def test_a_first_import_costs_the_same_queries_for_two_files_or_eight(self, tmp_path):
        two, eight = folder(tmp_path, READOUTS[:2], "two"), folder(tmp_path, READOUTS[2:10], "eight")
        assert queries(two) == queries(eight) <= 41  # 41 on PostgreSQL since readouts get their signatories

    def test_strict_refuses_a_recognised_file_with_warnings_as_it_refuses_a_read_one(self, tmp_path):
        sources = folder(tmp_path, [WITH_WARNINGS])
        _, err = run(sources)
        warnings = [line for line in err.splitlines() if ": warning (" in line]
        assert warnings
        assert [line for line in fails(sources, "--strict").splitlines() if ": warning (" in line] == warnings

    def test_a_deleted_document_is_imported_again(self, tmp_path):
        sources = folder(tmp_path, READOUTS[:2])
        run(sources)
        Document.objects.get(slug__startswith="readout-of-president-joe-biden-call-with-prime-minister-justin").delete()
        out, _ = run(sources)
        assert "2 file(s): 1 created, 0 updated, 1 unchanged;" in out


@pytest.mark.django_db
class TestWhatChangedSinceIsSeen:
    def test_a_curators_correction_is_not_overwritten_unless_told(self, tmp_path):
        sources = folder(tmp_path, [READOUTS[0]])
        run(sources)
        clause = Clause.objects.get(document__slug__startswith="readout-of-president-joe-biden-call-with-prime")
        curator_edit(clause, clause.text.replace("President Biden", "President Joseph R. Biden"))
        for replace in ([], ["--replace"]):
            err = fails(sources, *replace)
            assert f"{clause.eid} (changed by the file) was corrected by alice on" in err
            assert "--overwrite-edits" in err
        out, _ = run(sources, "--replace", "--overwrite-edits")
        assert "1 file(s): 0 created, 1 updated, 0 unchanged;" in out
        assert Clause.objects.get(pk=clause.pk).text.startswith("President Biden")
        out, _ = run(sources)
        assert "1 file(s): 0 created, 0 updated, 1 unchanged;" in out

    def test_a_new_party_in_the_vocabulary_is_seen_in_a_file_imported_before(self, tmp_path):
        path = tmp_path / "freedonia.md"
        path.write_text(
            "---\ntitle: Readout of President Joe Biden's Call with President Rufus T. Firefly of Freedonia\n"
            "date: '2024-05-01'\nsource_url: https://www.whitehouse.gov/briefing-room/2024/05/01/freedonia/\n---\n"
            "President Biden spoke with President Firefly of Freedonia today.\n",
            encoding="utf-8",
        )
        run(path)
        assert "1 unchanged" in run(path)[0]
        Party.objects.create(code="fd", name="Republic of Freedonia", short_name="Freedonia")
        assert "already exists and this file differs (parties: +fd; signatories changed)" in fails(path)


@pytest.mark.django_db
class TestSavedWhileReading:
    """An import saves what it has read while it reads the rest (batch.SAVE_EVERY files at a time), in one
    transaction: a file that fails later still leaves nothing written, and its error is reported first."""

    @pytest.fixture(autouse=True)
    def save_every_file(self, monkeypatch):
        monkeypatch.setattr("statements.importing.batch.SAVE_EVERY", 1)

    def test_a_file_that_fails_after_others_were_saved_leaves_nothing_written(self, tmp_path):
        sources = folder(tmp_path, READOUTS[:3])
        (sources / "zz-broken.md").write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
        documents = Document.objects.count()
        err = fails(sources)
        assert "zz-broken.md:" in err
        assert Document.objects.count() == documents

    def test_an_error_in_reading_is_reported_before_a_refused_save(self, tmp_path):
        sources = folder(tmp_path, READOUTS[:2])
        run(sources)
        first = sources / READOUTS[0]
        first.write_text(first.read_text(encoding="utf-8") + "\nA paragraph added since.\n", encoding="utf-8")
        assert "this file differs" in fails(sources)
        (sources / "zz-broken.md").write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
        err = fails(sources)
        assert "zz-broken.md:" in err and "this file differs" not in err
