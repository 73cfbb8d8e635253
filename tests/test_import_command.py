"""manage.py import_statement: the seed documents, dry runs, fixtures, re-imports and bad input."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from statements.models import (
    AssignedBy,
    Clause,
    ClauseParty,
    ClauseTopic,
    Document,
    RetiredClause,
    Section,
    Signatory,
    Topic,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "sources" / "import"
DATA = Path(__file__).resolve().parent / "data" / "import"
SEED_SLUGS = [
    "lukashenko-state-visit-to-china-2023",
    "mfa-readout-xi-lukashenko-talks-2023-03-01",
    "china-belarus-joint-statement-2023-03-02",
]
TEST_SLUG = "china-belarus-test-communique-2024"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_statement", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fail(*args):
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_statement", *map(str, args), stdout=StringIO(), stderr=err)
    return err.getvalue()


def snapshot():
    """Every row the importer can touch, timestamps included: equal snapshots mean nothing was written."""
    models = [Document, Document.parties.through, Signatory, Section, Clause, ClauseTopic, ClauseParty, RetiredClause]
    return {model.__name__: sorted(map(repr, model.objects.values())) for model in models}


def structure(slug):
    """Sections (heading, editorial?) with their clauses' texts, in order; and the signatories."""
    sections = Section.objects.filter(document__slug=slug).order_by("position").prefetch_related("clauses")
    return (
        [(s.heading, s.heading_is_editorial, [c.text for c in s.clauses.order_by("position")]) for s in sections],
        list(Signatory.objects.filter(document__slug=slug).values_list("position", "office", "name", "party__code")),
    )


def copy(tmp_path, name="numbered-with-headings.txt"):
    target = tmp_path / name
    shutil.copy(DATA / name, target)
    return target


@pytest.mark.django_db
class TestSeedDocuments:
    def test_seed_sources_import_to_exactly_the_curated_clauses_and_sections(self):
        curated = {slug: structure(slug) for slug in SEED_SLUGS}
        curated_eids = {
            slug: list(Clause.objects.filter(document__slug=slug).values_list("eid", flat=True)) for slug in SEED_SLUGS
        }
        Document.objects.filter(slug__in=SEED_SLUGS).delete()

        out, _ = run(SEEDS)

        assert "3 file(s): 3 created, 0 updated, 0 unchanged; 0 warning(s)." in out
        for slug in SEED_SLUGS:
            assert structure(slug) == curated[slug], slug
            assert list(Clause.objects.filter(document__slug=slug).values_list("eid", flat=True)) == curated_eids[slug]
        assert Clause.objects.filter(document__slug__in=SEED_SLUGS).count() == 61

    def test_seed_sources_match_the_curated_corpus_so_importing_them_changes_nothing(self):
        before = snapshot()
        out, err = run(SEEDS)
        assert "3 unchanged" in out
        assert err.count(": unchanged") == 3
        assert snapshot() == before

    def test_imported_links_are_marked_as_machine_assigned(self):
        Document.objects.filter(slug__in=SEED_SLUGS).delete()
        run(SEEDS / "china-belarus-joint-statement-2023-03-02.txt")
        links = ClauseTopic.objects.filter(clause__document__slug="china-belarus-joint-statement-2023-03-02")
        taiwan = links.get(clause__eid="para_5", topic__slug="taiwan")
        assert (taiwan.assigned_by, taiwan.rule) == (AssignedBy.RULE, "topic-rule:taiwan")
        party = ClauseParty.objects.get(
            clause__document__slug="china-belarus-joint-statement-2023-03-02", clause__eid="para_3"
        )
        assert (party.party.code, party.assigned_by, party.rule) == ("by", "rule", party.rule)
        assert party.rule.startswith("party-alias:")
        assert not links.exclude(assigned_by=AssignedBy.RULE).exists()


@pytest.mark.django_db
class TestImport:
    def test_creates_the_document_tree(self):
        run(DATA / "numbered-with-headings.txt")
        document = Document.objects.get(slug=TEST_SLUG)
        assert document.kind == "communique"
        assert list(document.parties.values_list("code", flat=True)) == ["by", "cn"]
        clauses = list(document.clauses.order_by("position").values_list("position", "eid", "label"))
        assert clauses == [
            (1, "para_p1", ""),
            (2, "para_1", "1"),
            (3, "para_2", "2"),
            (4, "para_3", "3"),
            (5, "para_3__subpara_a", "(a)"),
            (6, "para_3__subpara_b", "(b)"),
            (7, "para_4", "4"),
            (8, "para_5", "5"),
            (9, "note_1", "1"),
        ]
        assert [s.heading for s in document.sections.order_by("position")] == [
            "Preamble",
            "I. POLITICAL RELATIONS",
            "Economy",
            "Notes",
        ]
        assert list(document.signatories.values_list("name", "party__code")) == [
            ("Xi Jinping", "cn"),
            ("Alexander Lukashenko", "by"),
        ]

    def test_importing_the_same_file_twice_changes_nothing(self):
        run(DATA / "numbered-with-headings.txt")
        before = snapshot()
        out, _ = run(DATA / "numbered-with-headings.txt")
        assert "0 created, 0 updated, 1 unchanged" in out
        assert snapshot() == before
        run(DATA / "numbered-with-headings.txt", "--replace")
        assert snapshot() == before

    def test_dry_run_prints_the_tree_and_writes_nothing(self):
        before = snapshot()
        out, _ = run(DATA / "numbered-with-headings.txt", "--dry-run")
        assert snapshot() == before
        assert f"{TEST_SLUG} (communique, 2024-05-16, parties cn, by): new" in out
        assert "sec_2    I. POLITICAL RELATIONS" in out
        lines = {line.split()[0]: line for line in out.splitlines() if line.strip().startswith("para_")}
        assert lines["para_2"].split()[1:3] == ["2", "The"]
        assert "taiwan" in lines["para_2"] and " cn " in lines["para_2"]
        assert "para_3__subpara_a" in lines

    def test_dry_run_of_a_changed_file_says_what_replace_would_do(self, tmp_path):
        source = copy(tmp_path)
        run(source)
        source.write_text(source.read_text().replace("5. The two sides will cooperate in agriculture.\n", ""))
        before = snapshot()
        out, _ = run(source, "--dry-run")
        assert "exists; --replace would:" in out
        assert "    para_5 retired: 'The two sides will cooperate in agriculture. - Bullets set …'" in out.splitlines()
        # what changed, not only that the text did: the bullets of para_5 now follow para_4
        assert (
            "    para_4: text “…lines in the source.” → “…lines in the source. - Bullets set off by a blank line "
            "belong to the paragraph before them. - So does this one.”" in out.splitlines()
        )
        assert snapshot() == before

    def test_fixture_output_loads_to_the_same_tree(self, tmp_path):
        before = snapshot()
        out_file = tmp_path / "out.json"
        run(DATA / "numbered-with-headings.txt", "--fixture", out_file)
        assert snapshot() == before
        objects = json.loads(out_file.read_text(encoding="utf-8"))
        assert {obj["model"] for obj in objects} >= {
            "statements.document",
            "statements.clause",
            "statements.clausetopic",
        }
        assert all("pk" not in obj for obj in objects)
        call_command("loaddata", out_file, verbosity=0)
        imported = structure(TEST_SLUG)
        Document.objects.filter(slug=TEST_SLUG).delete()
        run(DATA / "numbered-with-headings.txt")
        assert structure(TEST_SLUG) == imported

    def test_a_directory_shows_progress(self, tmp_path):
        for name in ("numbered-with-headings.txt", "readout-unnumbered.txt", "windows-bom.txt"):
            copy(tmp_path, name)
        out, err = run(tmp_path)
        assert [line.split("]")[0] for line in err.splitlines()] == ["[1/3", "[2/3", "[3/3"]
        assert "3 created" in out


@pytest.mark.django_db
class TestBadInput:
    @pytest.mark.parametrize(
        ("name", "message"),
        [
            ("missing-title.txt", "missing-title.txt:1: missing header field 'Title'"),
            ("unknown-party.txt", "unknown-party.txt:4: unknown party 'xx'"),
            ("malformed-date.txt", "malformed-date.txt:3: malformed date '2024-13-45'"),
            ("empty-body.txt", "empty-body.txt:6: the body is empty"),
            ("not-utf8.txt", "not-utf8.txt:8: the file is not UTF-8 (byte 0xe9 at column 4)"),
            ("duplicate-number.txt", "duplicate-number.txt:10: paragraph number '2' is used twice"),
        ],
    )
    def test_error_names_file_and_line_and_nothing_is_written(self, name, message):
        before = snapshot()
        err = fail(DATA / "readout-unnumbered.txt", DATA / name)
        assert message in err
        assert snapshot() == before

    def test_a_changed_document_needs_replace(self, tmp_path):
        source = copy(tmp_path)
        run(source)
        source.write_text(source.read_text().replace("cooperate in agriculture", "cooperate in farming"))
        before = snapshot()
        err = fail(source)
        assert f"{source}:0: document '{TEST_SLUG}' already exists and this file differs" in err
        assert "use --replace" in err
        assert snapshot() == before

    def test_a_failing_file_rolls_back_the_files_saved_before_it(self, tmp_path):
        good = copy(tmp_path, "readout-unnumbered.txt")
        changed = SEEDS / "lukashenko-state-visit-to-china-2023.txt"
        edited = tmp_path / "z-article.txt"
        edited.write_text(
            changed.read_text(encoding="utf-8").replace("paid a state visit", "visited"), encoding="utf-8"
        )
        before = snapshot()
        fail(good, edited)
        assert snapshot() == before


@pytest.mark.django_db
class TestReplace:
    def edit(self, source, old, new):
        text = source.read_text(encoding="utf-8")
        assert old in text
        source.write_text(text.replace(old, new), encoding="utf-8")

    def clauses(self, slug=TEST_SLUG):
        return dict(Clause.objects.filter(document__slug=slug).values_list("eid", "text"))

    def test_edited_inserted_and_removed_paragraphs(self, tmp_path):
        source = copy(tmp_path)
        run(source)
        para_4 = Clause.objects.get(document__slug=TEST_SLUG, eid="para_4")
        farming = Topic.objects.get(slug="agriculture")
        # A curator's link on a clause that will change, and one on a clause that will be removed.
        ClauseTopic.objects.create(clause=para_4, topic=farming, assigned_by=AssignedBy.CURATOR)
        self.edit(source, "Minsk.", "Minsk in 2025.")  # (a) edited
        self.edit(source, "welcomed Chinese investment", "warmly welcomed Chinese investment")  # 4 edited
        self.edit(source, "2, The Chinese side", "The Chinese side")  # 2 loses its number: matched by its text
        self.edit(source, "5. The two sides will cooperate in agriculture.\n", "")  # 5 removed
        self.edit(source, "## Economy\n", "## Economy\n\nA new unnumbered paragraph about tourism.\n")

        out, _ = run(source, "--replace")

        assert "1 updated" in out
        clauses = self.clauses()
        assert clauses["para_3__subpara_a"].endswith("in Minsk in 2025.")
        assert clauses["para_4"].startswith("The Belarusian side warmly welcomed")
        assert "para_5" not in clauses
        assert Clause.objects.get(document__slug=TEST_SLUG, eid="para_2").label == ""
        retired = RetiredClause.objects.get(document__slug=TEST_SLUG, eid="para_5")
        assert retired.text.startswith("The two sides will cooperate in agriculture.")
        assert {"topic": "agriculture", "assigned_by": "rule", "rule": "topic-rule:agriculture"} in retired.links[
            "topics"
        ]
        # The curator's link survives the edit; the rules re-tag the new text around it.
        assert ClauseTopic.objects.get(clause=para_4, topic=farming).assigned_by == AssignedBy.CURATOR
        positions = list(
            Clause.objects.filter(document__slug=TEST_SLUG).order_by("position").values_list("position", flat=True)
        )
        assert positions == list(range(1, len(positions) + 1))
        new = Clause.objects.get(document__slug=TEST_SLUG, text="A new unnumbered paragraph about tourism.")
        assert new.eid not in {"para_5", "para_p1"}

    def test_a_retired_eid_is_never_given_to_other_text(self, tmp_path):
        source = copy(tmp_path)
        run(source)
        self.edit(source, "5. The two sides will cooperate in agriculture.\n", "")
        run(source, "--replace")
        self.edit(source, "## Economy\n", "## Economy\n\n5. Something else entirely, numbered five again.\n")
        run(source, "--replace")
        clause = Clause.objects.get(document__slug=TEST_SLUG, label="5")
        assert clause.eid == "para_5v2"
        assert RetiredClause.objects.filter(document__slug=TEST_SLUG, eid="para_5").exists()

    def test_moved_paragraphs_keep_their_eids(self, tmp_path):
        source = copy(tmp_path, "readout-unnumbered.txt")
        run(source)
        slug = "wang-yi-meets-with-belarusian-foreign-minister-2024-04-09"
        before = self.clauses(slug)
        text = source.read_text(encoding="utf-8")
        first = "On April 9, Foreign Minister Wang Yi met with Belarusian Foreign Minister in Beijing.\n\n"
        source.write_text(text.replace(first, "") + "\n" + first, encoding="utf-8")
        run(source, "--replace")
        after = list(Clause.objects.filter(document__slug=slug).order_by("position").values_list("eid", "text"))
        assert [eid for eid, _ in after] == ["para_2", "para_3", "para_1"]
        assert dict(after) == before

    def test_a_curators_removal_of_a_rule_link_survives_replace(self, tmp_path):
        source = copy(tmp_path)
        run(source)
        link = ClauseTopic.objects.get(clause__document__slug=TEST_SLUG, clause__eid="para_2", topic__slug="taiwan")
        link.delete()
        self.edit(source, "cooperate in agriculture", "cooperate in farming")
        run(source, "--replace")
        assert not ClauseTopic.objects.filter(
            clause__document__slug=TEST_SLUG, clause__eid="para_2", topic__slug="taiwan"
        ).exists()


@pytest.mark.django_db
def test_a_reordered_file_is_a_change_that_needs_replace(tmp_path):
    source = tmp_path / "readout.txt"
    text = (DATA / "readout-unnumbered.txt").read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    run(source)
    first = "On April 9, Foreign Minister Wang Yi met with Belarusian Foreign Minister in Beijing.\n\n"
    source.write_text(text.replace(first, "") + "\n" + first, encoding="utf-8")
    before = snapshot()
    err = fail(source)
    assert "3 clause(s) moved to another position or section" in err
    assert snapshot() == before


@pytest.mark.django_db
def test_replace_never_downgrades_a_curators_link(tmp_path):
    source = copy(tmp_path)
    run(source)
    link = ClauseTopic.objects.get(clause__document__slug=TEST_SLUG, clause__eid="para_2", topic__slug="taiwan")
    link.assigned_by, link.rule = AssignedBy.CURATOR, ""
    link.save()
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("the one-China principle[1]", "the one-China principle[1] firmly"), encoding="utf-8")
    run(source, "--replace")
    links = ClauseTopic.objects.filter(clause__document__slug=TEST_SLUG, clause__eid="para_2")
    assert set(links.values_list("topic__slug", "assigned_by", "rule")) == {
        ("taiwan", "curator", ""),
        ("china", "rule", "topic-rule:china"),
    }
    assert Clause.objects.get(document__slug=TEST_SLUG, eid="para_2").text.startswith(
        "The Chinese side stressed the one-China principle[1] firmly"
    )
