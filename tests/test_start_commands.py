"""The management commands bin/start runs before gunicorn: wait_for_db and seed_corpus."""

from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.utils import OperationalError

from statements.models import Clause, Document

JOINT_STATEMENT = "china-belarus-joint-statement-2023-03-02"
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_wait_for_db_returns_once_the_database_answers():
    out, err = StringIO(), StringIO()
    refused_once = [OperationalError("connection refused"), None]
    real = connections["default"].ensure_connection

    def ensure_connection():
        failure = refused_once.pop(0)
        if failure:
            raise failure
        real()

    with mock.patch.object(connections["default"], "ensure_connection", ensure_connection):
        call_command("wait_for_db", "--interval", "0", stdout=out, stderr=err)

    assert "waiting for database 'default': connection refused" in err.getvalue()
    assert "database 'default' is up" in out.getvalue()


def test_wait_for_db_gives_up_after_its_timeout():
    down = OperationalError("could not connect to server")
    unreachable = r"database 'default' still unreachable after 0.05s: could not connect"
    with (
        mock.patch.object(connections["default"], "ensure_connection", side_effect=down),
        pytest.raises(CommandError, match=unreachable),
    ):
        call_command("wait_for_db", "--timeout", "0.05", "--interval", "0.01", stderr=StringIO())


@pytest.mark.django_db
def test_seed_corpus_leaves_a_database_with_documents_untouched():
    # A curator's edit must survive a container restart.
    document = Document.objects.get(slug=JOINT_STATEMENT)
    document.title = "Edited by a curator"
    document.save()
    deleted, _ = Clause.objects.filter(document=document, eid="para_39").delete()
    assert deleted >= 1
    out = StringIO()

    call_command("seed_corpus", "taxonomy", "corpus", stdout=out)

    assert "already holds documents" in out.getvalue()
    assert Document.objects.get(slug=JOINT_STATEMENT).title == "Edited by a curator"
    assert not Clause.objects.filter(document=document, eid="para_39").exists()


@pytest.mark.django_db
def test_seed_corpus_loads_an_empty_database():
    Document.objects.all().delete()

    call_command("seed_corpus", "taxonomy", "corpus", "--no-sources", verbosity=0)

    assert Document.objects.count() == 3
    assert Clause.objects.count() == 61


@pytest.mark.django_db
def test_seed_corpus_imports_the_sources_with_the_fixtures(settings):
    Document.objects.all().delete()
    settings.CORPUS_SOURCES = [ROOT / "fixtures" / "sources" / "import"]  # the seed documents, as sources
    out, err = StringIO(), StringIO()

    call_command("seed_corpus", "taxonomy", "rules", stdout=out, stderr=err)

    assert "imported 3 statement(s) (61 clauses)" in out.getvalue()
    assert "Importing the corpus: 100%" in err.getvalue()  # the progress bar
    assert Document.objects.count() == 3
    call_command("seed_corpus", "taxonomy", "rules", stdout=out, stderr=StringIO())
    assert "already holds documents" in out.getvalue()  # a second start imports nothing


@pytest.mark.django_db
def test_a_failing_source_leaves_the_database_empty(settings, tmp_path):
    Document.objects.all().delete()
    (tmp_path / "bad.txt").write_text("Title: X\nKind: readout\nDate: 2024-01-01\nParties: zz\n\nText.\n")
    settings.CORPUS_SOURCES = [tmp_path]

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("seed_corpus", "taxonomy", stdout=StringIO(), stderr=StringIO())

    assert not Document.objects.exists()
