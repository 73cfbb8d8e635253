"""Reads go to the read replica, writes to the primary (config.db_router, on with DATABASE_REPLICA_URL).

What this proves: with the router installed and a second alias ``replica``, the ORM itself sends
each query to the alias the router chose. The replica here is a TEST MIRROR of the primary (the
same test database reached through a second connection, as Django's test runner sets up mirrors),
so capturing each connection's queries shows which alias a query went through, and rows written
through the primary are readable through the replica, as with real replication. The tests are
transactional because a mirror's second connection cannot see another connection's uncommitted
test transaction. What it cannot prove: replication itself, or lag (PostgreSQL's job).
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from config.db_router import PrimaryReplicaRouter
from statements.models import Clause, Document
from tests.databases import extra_database
from tests.factories import DocumentFactory

router = PrimaryReplicaRouter()


def test_router_sends_reads_to_the_replica_and_writes_to_the_primary():
    assert router.db_for_read(Document) == "replica"
    assert router.db_for_read(Clause) == "replica"
    assert router.db_for_write(Document) == "default"
    assert router.db_for_write(User) == "default"


def test_sessions_accounts_and_admin_log_are_read_from_the_primary():
    # A session saved at login must be found by the next request, replication lag or not.
    assert router.db_for_read(Session) == "default"
    assert router.db_for_read(User) == "default"
    assert router.db_for_read(LogEntry) == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_on_the_primary_stay_on_the_primary():
    # The db fixture's own test transaction counts: what matters is that one is open on the primary.
    with transaction.atomic():
        assert router.db_for_read(Document) == "default"


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "statements") is True
    assert router.allow_migrate("replica", "statements") is False


@pytest.fixture(scope="module")
def replica_alias(django_db_setup):
    """A ``replica`` alias: a TEST MIRROR of the test database, as Django's runner sets up for TEST["MIRROR"].

    Module-scoped so the alias exists before each test's database access is set up (the test
    declares ``databases`` including it).
    """
    primary = connections["default"].settings_dict
    with extra_database("replica", {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}}):
        yield


@pytest.fixture
def replica(replica_alias, settings):
    """The replica connection, with the router installed as DATABASE_REPLICA_URL does."""
    settings.DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"]
    return connections["replica"]


replicated = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@replicated
def test_reads_go_through_the_replica_connection(replica):
    DocumentFactory(slug="routed-read")
    primary = connections["default"]

    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(primary) as on_primary:
        document = Document.objects.get(slug="routed-read")
        count = Document.objects.filter(slug__startswith="routed").count()

    assert document._state.db == "replica"
    assert count == 1
    assert len(on_replica) == 2
    assert len(on_primary) == 0


@replicated
def test_writes_go_through_the_primary_connection(replica):
    document = DocumentFactory(slug="routed-write")
    primary = connections["default"]

    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(primary) as on_primary:
        document.title = "Retitled by a curator"
        document.save()
        Document.objects.filter(slug="routed-write").update(title="Retitled again")

    assert len(on_replica) == 0
    # The save also checks the document has a history and records the change in it (django-simple-history),
    # on the primary too.
    assert [query["sql"].split()[0] for query in on_primary] == ["SELECT", "UPDATE", "INSERT", "UPDATE"]
    # Written through the primary, read back through the replica.
    assert Document.objects.get(slug="routed-write").title == "Retitled again"


@replicated
def test_admin_style_edit_reads_and_writes_on_the_primary(replica):
    # The admin's change view reads the object and saves it inside one transaction on the primary.
    DocumentFactory(slug="routed-admin")
    primary = connections["default"]

    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(primary) as on_primary,
        transaction.atomic(),
    ):
        document = Document.objects.get(slug="routed-admin")
        document.title = "Edited in the admin"
        document.save()

    assert document._state.db == "default"
    assert len(on_replica) == 0
    assert any(query["sql"].startswith("SELECT") for query in on_primary)
