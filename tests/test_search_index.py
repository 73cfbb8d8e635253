"""The full-text index is kept current by the project (migration 0014, statements.search_index) and can be remade."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from statements.models import Clause
from statements.search_index import FTS_TABLE, SQLITE_TRIGGERS, TIERS_INDEX

from .factories import document_with_clauses

pytestmark = pytest.mark.django_db
URL = "/api/v1/search/"
ON_SQLITE = connection.vendor == "sqlite"


def found(api_client, q):
    response = api_client.get(URL, {"q": q})
    assert response.status_code == 200, response.content
    return [result["citation"] for result in response.json()["results"]]


def test_a_clause_is_found_as_soon_as_it_is_written_changed_or_gone(api_client):
    document = document_with_clauses(2, slug="fresh")
    Clause.objects.filter(document=document, position=1).update(text="The quokka protocol was signed.")
    assert found(api_client, "quokka") == ["fresh/para_1"]
    Clause.objects.filter(document=document, position=1).update(text="The wombat protocol was signed.")
    assert found(api_client, "quokka") == [] and found(api_client, "wombat") == ["fresh/para_1"]
    Clause.objects.filter(document=document, position=1).delete()
    assert found(api_client, "wombat") == []


@pytest.mark.skipif(not ON_SQLITE, reason="the FTS5 table and its triggers are SQLite's")
def test_sqlite_has_the_fts5_table_and_every_trigger_after_all_migrations():
    """A migration that remakes the clause table drops its triggers: this fails until they are put back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'statements_clause' AND type = 'trigger'")
        triggers = {name for (name,) in cursor.fetchall()}
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")
        indexed = cursor.fetchone()[0]
    assert set(SQLITE_TRIGGERS) <= triggers
    assert indexed == Clause.objects.count()


@pytest.mark.skipif(not ON_SQLITE, reason="the FTS5 table and its triggers are SQLite's")
def test_rebuild_search_index_puts_back_dropped_triggers_and_remakes_the_index(api_client):
    with connection.cursor() as cursor:
        for name in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    document = document_with_clauses(1, slug="unindexed")
    Clause.objects.filter(document=document).update(text="A numbat clause.")
    assert found(api_client, "numbat") == []  # written while the triggers were missing
    output = io.StringIO()
    call_command("rebuild_search_index", stdout=output)
    assert "rebuilt" in output.getvalue()
    assert found(api_client, "numbat") == ["unindexed/para_1"]
    Clause.objects.filter(document=document).update(text="A bilby clause.")
    assert found(api_client, "bilby") == ["unindexed/para_1"]


@pytest.mark.skipif(ON_SQLITE, reason="the tiers index is PostgreSQL's")
def test_postgresql_has_the_tiers_index_and_rebuilds_it():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [TIERS_INDEX])
        assert "statements_search_tiers(search_vector)" in cursor.fetchone()[0]
        cursor.execute("SELECT statements_search_tiers(to_tsvector('english', 'talks talks talks cooperation'))::text")
        assert cursor.fetchone()[0] == "'talk/2'"
    output = io.StringIO()
    call_command("rebuild_search_index", stdout=output)
    assert "rebuilt" in output.getvalue()
