"""Send reads to the read replica and writes to the primary (used when DATABASE_REPLICA_URL is set).

The replica (alias ``replica``) is a streaming copy of the primary (alias ``default``), so both hold
the same rows: relations between objects from either are allowed, and only the primary is
migrated. Reads made while a transaction is open on the primary stay on the primary: inside it they
must see the transaction's own uncommitted writes and must not act on rows the replica has not
caught up with yet. The admin's add/change/delete views, loaddata and the importers all run in such
a transaction, so what they read before writing is always current. Accounts, sessions and the admin
log are always read from the primary: a session written at login must be found by the very next
request. Other reads outside a transaction (the API, the admin's list pages) may lag the primary by
the replication delay.
"""

from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
# Apps whose rows a user expects to read back at once (login, permissions, admin history, failed-login counts).
PRIMARY_ONLY_APPS = {"auth", "sessions", "admin", "axes"}


class PrimaryReplicaRouter:
    """Reads from ``replica`` except as the module says; writes and migrations on ``default``."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY_APPS or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases are the same data, so an object read from the replica may point at one from the primary.
        return obj1._state.db in (PRIMARY, REPLICA) and obj2._state.db in (PRIMARY, REPLICA)

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
