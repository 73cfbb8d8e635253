"""The corpus the project ships is reproducible from its sources: importing fixtures/sources/whitehouse/ gives
exactly the rows of fixtures/whitehouse-manifest.tsv (regenerate it with `make corpus-manifest`, deliberately:
its diff shows every eid, section, label, text and link that moved), and importing it again changes nothing."""

from io import StringIO
from pathlib import Path

import pytest

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
