"""Migration tests' helpers: move the test database to a migration and back to the newest, with the corpus."""

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import load_corpus


def migrate(targets):
    """Migrate the test database to ``targets``; the apps (historical models) of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    """The newest migration of every app (migrating back to an older target would leave later tables behind)."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def back_to_latest_with_the_corpus():
    """Leave the database as the session's other tests expect it: at the newest migrations, with the corpus."""
    migrate(latest())
    call_command("flush", interactive=False, verbosity=0)
    load_corpus()
