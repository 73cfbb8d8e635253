"""The management commands bin/start runs before gunicorn: wait_for_db and seed_corpus."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.utils import OperationalError

from statements.models import Clause, Document

JOINT_STATEMENT = "china-belarus-joint-statement-2023-03-02"


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

    call_command("seed_corpus", "taxonomy", "corpus", verbosity=0)

    assert Document.objects.count() == 3
    assert Clause.objects.count() == 61
