"""The corpus the project ships is reproducible from its sources: importing fixtures/sources/whitehouse/ gives
exactly the rows of fixtures/whitehouse-manifest.tsv (regenerate it with `make corpus-manifest`, deliberately:
its diff shows every eid, section, label, text and link that moved), and importing it again changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from statements.importing import creating
from statements.importing.batch import import_corpus_sources, import_files
from statements.importing.manifest import differences, manifest_lines
from statements.importing.rows import allocate_ids
from statements.models import Clause, ClauseFacet, DataVersion, Document, DocumentFacetCount, Section
from statements.similarity import DOCUMENT_CHECK_TRIGGER

MANIFEST = Path(__file__).resolve().parent.parent / "fixtures" / "whitehouse-manifest.tsv"
CORPUS = MANIFEST.parent / "sources" / "whitehouse"


@pytest.mark.django_db
def test_the_shipped_sources_import_to_the_committed_manifest():
    report = import_corpus_sources(StringIO(), verbose=False)
    assert len(report.results) == 695 and all(result.created for result in report.results)
    diff = differences(MANIFEST.read_text(encoding="utf-8").splitlines(), manifest_lines())
    assert not diff, "The import differs from the manifest; if that is intended, run `make corpus-manifest`:\n" + (
        "\n".join(diff)
    )
    again = import_corpus_sources(StringIO(), verbose=False)
    assert [result.changed for result in again.results] == [False] * 695  # "unchanged" for every file


@pytest.mark.django_db
def test_a_bulk_import_indexes_the_shingles_the_trigger_would(settings):
    """On PostgreSQL a bulk import turns the shingle trigger off and COPYs shingles computed in Python: they must be
    exactly what the trigger's SQL function gives, on every clause of the corpus ("2¾" included)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import_corpus_sources(StringIO(), verbose=False)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE ARRAY(SELECT statements_clause_shingles(c.text) ORDER BY 1) "
            "<> ARRAY(SELECT hash FROM statements_clauseshingle WHERE clause_id = c.id ORDER BY 1)) "
            "FROM statements_clause c"
        )
        clauses, misindexed = cursor.fetchone()
    assert clauses > 3000 and misindexed == 0


@pytest.mark.django_db
def test_a_bulk_insert_of_clauses_still_refuses_a_clause_outside_its_sections_document():
    """On PostgreSQL a bulk insert of clauses turns the row trigger that checks each clause's document off and checks
    them all in one query: a clause whose document is not its section's is refused all the same, with the trigger's
    message, and the trigger is on again after a bulk insert that succeeds."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    other = Section.objects.first()
    section = Section.objects.exclude(document_id=other.document_id).first()
    count = creating.ROW_TRIGGERS_OFF_FROM

    def rows(document_of_the_last):
        ids = allocate_ids(Clause, count)
        documents = [section.document_id] * (count - 1) + [document_of_the_last]
        return [
            (pk, document, section.pk, 10_000 + n, f"bulk_{n}", "", f"Clause {n} of a bulk insert.")
            for n, (pk, document) in enumerate(zip(ids, documents, strict=True))
        ]

    mismatch = f"clause document {other.document_id} does not match"
    with pytest.raises(IntegrityError, match=mismatch), transaction.atomic():
        creating.insert_clauses(rows(document_of_the_last=other.document_id))
    creating.insert_clauses(rows(document_of_the_last=section.document_id))
    assert Clause.objects.filter(section=section, eid__startswith="bulk_").count() == count
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = %s", [DOCUMENT_CHECK_TRIGGER])
        assert cursor.fetchall() == [("O",)]


@pytest.mark.django_db
def test_a_bulk_import_derives_the_rows_the_sqlite_triggers_would(monkeypatch):
    """On SQLite a bulk import drops the row triggers of new clauses and links and writes what they would have
    written set-based (statements.importing.creating.derived_rows_in_bulk): the same facet rows and counts, the same
    data version, and the triggers as they were."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's facet and data-version triggers run per statement already")
    files = sorted(path for path in CORPUS.glob("*.md") if not path.name.upper().startswith("README"))[:60]

    def imported(bulk_from):
        monkeypatch.setattr(creating, "DERIVED_IN_BULK_FROM", bulk_from)
        savepoint = transaction.savepoint()
        version = DataVersion.objects.get(pk=1).version if DataVersion.objects.exists() else 0
        with CaptureQueriesContext(connection) as captured:
            import_files(files, recognise=False)
        dropped = sum("DROP TRIGGER" in query["sql"] for query in captured.captured_queries)
        found = (derived_rows(), DataVersion.objects.get(pk=1).version - version, triggers(), dropped)
        transaction.savepoint_rollback(savepoint)
        return found

    before = triggers()
    rows, version, after, dropped = imported(bulk_from=10**9)
    assert dropped == 0
    bulk_rows, bulk_version, bulk_after, bulk_dropped = imported(bulk_from=1)
    assert bulk_dropped and bulk_dropped % len(creating.BULK_TRIGGERS_SQLITE) == 0  # every one, in each save
    facet_rows, counts = rows
    assert {row[0] for row in facet_rows} == {ClauseFacet.TOPIC, ClauseFacet.PARTY, ClauseFacet.EVERY_CLAUSE}
    assert sum(n for *_, n in counts) == len(facet_rows)
    assert bulk_rows == rows and bulk_version == version > 0
    assert before == after == bulk_after


def derived_rows():
    """ClauseFacet's and DocumentFacetCount's rows, with documents and clauses named (slug, eid), not numbered."""
    documents = dict(Document.objects.values_list("pk", "slug"))
    clauses = {
        pk: (documents[document], eid) for pk, document, eid in Clause.objects.values_list("pk", "document", "eid")
    }
    facet_rows = ClauseFacet.objects.values_list("facet", "value_id", "document_id", "clause_id")
    counts = DocumentFacetCount.objects.values_list("facet", "value_id", "document_id", "n")
    return (
        sorted((facet, value, documents[document], clauses[clause]) for facet, value, document, clause in facet_rows),
        sorted((facet, value, documents[document], n) for facet, value, document, n in counts),
    )


def triggers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        return cursor.fetchall()
