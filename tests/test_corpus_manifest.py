"""The corpus the project ships is reproducible from its sources: importing fixtures/sources/whitehouse/ gives
exactly the rows of fixtures/whitehouse-manifest.tsv (regenerate it with `make corpus-manifest`, deliberately:
its diff shows every eid, section, label, text and link that moved), and importing it again changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.db import connection

from statements.importing.batch import import_corpus_sources
from statements.importing.manifest import differences, manifest_lines

MANIFEST = Path(__file__).resolve().parent.parent / "fixtures" / "whitehouse-manifest.tsv"


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
