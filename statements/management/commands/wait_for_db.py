"""Wait until a database accepts connections (bin/start runs it before migrating)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import OperationalError


class Command(BaseCommand):
    help = "Wait until the database accepts connections; fail after --timeout seconds."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: %(default)s).")
        parser.add_argument("--timeout", type=float, default=60, help="Seconds to wait (default: %(default)s).")
        parser.add_argument("--interval", type=float, default=1, help="Seconds between tries (default: %(default)s).")

    def handle(self, *args, database, timeout, interval, **options):
        connection = connections[database]
        deadline = time.monotonic() + timeout
        while True:
            try:
                connection.ensure_connection()
                break
            except OperationalError as error:
                if time.monotonic() >= deadline:
                    message = f"database {database!r} still unreachable after {timeout:g}s: {error}"
                    raise CommandError(message) from error
                self.stderr.write(f"waiting for database {database!r}: {str(error).strip().splitlines()[0]}")
                time.sleep(interval)
        self.stdout.write(f"database {database!r} is up")
