"""Migration tests' helpers: move the test database to a migration and back to the newest."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate the test database to ``targets``; the apps (historical models) of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    """The newest migration of every app (migrating back to an older target would leave later tables behind)."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def back_to_latest():
    """Leave the database at the newest migrations, where the session's later tests (and their live_corpus) expect it.

    No corpus is loaded here: a migration test is transactional, and its teardown empties every table right after.
    """
    migrate(latest())
