"""Nothing lost: a failed load or import leaves the database byte-for-byte as before; dumps round-trip exactly."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent / "data" / "import"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def whole_milliseconds(text):
    """A dump with "…:05.000Z" written "…:05Z", as it reads back."""
    return re.sub(r'(:\d\d)\.000(Z|[+-]\d\d:\d\d)"', r'\1\2"', text)


def dump(*apps):
    """The whole database (or ``apps``) as ``manage.py dumpdata`` writes it."""
    out = StringIO()
    call_command("dumpdata", *apps, natural_foreign=True, natural_primary=True, indent=1, stdout=out)
    return out.getvalue()


def corrupt_corpus(tmp_path, corruption):
    """The real corpus fixture with every clause's text edited and its last object corrupted.

    Without the edits, a load that half-succeeded would rewrite the same rows and leave the dump unchanged.
    """
    objects = json.loads((FIXTURES / "corpus.json").read_text())
    for obj in objects:
        if obj["model"] == "statements.clause":
            obj["fields"]["text"] += " [edited]"
    objects[-1] = corruption(objects[-1])
    path = tmp_path / "corrupt.json"
    path.write_text(json.dumps(objects))
    return path


@pytest.mark.parametrize(
    "corruption",
    [
        pytest.param(lambda obj: {**obj, "model": "statements.nosuchmodel"}, id="unknown-model"),
        pytest.param(lambda obj: {**obj, "fields": {**obj["fields"], "party": ["zz"]}}, id="dangling-key"),
        pytest.param(lambda obj: {**obj, "fields": {**obj["fields"], "assigned_by": None}}, id="null-field"),
    ],
)
def test_a_corrupt_fixture_changes_nothing(tmp_path, corruption):
    before = dump()
    with pytest.raises(Exception):  # noqa: B017  (Django raises DeserializationError, IntegrityError, ...)
        call_command("loaddata", str(corrupt_corpus(tmp_path, corruption)), verbosity=0)
    assert dump() == before


def test_a_truncated_fixture_changes_nothing(tmp_path):
    path = tmp_path / "truncated.json"
    path.write_text((FIXTURES / "corpus.json").read_text().replace("Belarus", "Belarus [edited]")[:-5000])
    before = dump()
    with pytest.raises(Exception):  # noqa: B017
        call_command("loaddata", str(path), verbosity=0)
    assert dump() == before


def test_a_failed_import_changes_nothing():
    before = dump()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command(
            "import_statement",
            str(DATA / "readout-unnumbered.txt"),
            str(DATA / "numbered-with-headings.txt"),
            str(DATA / "unknown-party.txt"),
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert dump() == before


def test_dumpdata_of_the_corpus_round_trips_exactly(live_corpus, tmp_path):
    first = dump("statements")
    assert '"model": "statements.clause"' in first
    path = tmp_path / "dump.json"
    path.write_text(first)
    call_command("flush", interactive=False, verbosity=0)
    assert '"model": "statements.clause"' not in dump("statements")
    call_command("loaddata", str(path), verbosity=0)
    # Django's JSON writes times to the millisecond: a time with 1-999 microseconds is written "…:05.000Z", which
    # loads as a whole second and is then written "…:05Z". The same instant; every other byte must be equal.
    assert whole_milliseconds(dump("statements")) == whole_milliseconds(first)
