"""manage.py rebuild_search_index: remake the full-text index search reads from the clauses."""

from django.core.management.base import BaseCommand
from django.db import connections

from statements import search_index


class Command(BaseCommand):
    help = (
        "Remake the full-text search index from the clause text: on SQLite the FTS5 table (and its triggers, "
        "where a migration dropped them), on PostgreSQL the GIN and RUM indexes. Safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, database, **options):
        self.stdout.write(search_index.rebuild(connections[database]))
