"""Load the corpus fixtures into a database that has no documents yet (bin/start runs it at every start).

loaddata alone is idempotent but not harmless on a live database: with natural keys it finds each
existing row and overwrites it with the fixture's values, so restarting a container would undo
every curator's edit and bring back what they deleted. Seeding only an empty database keeps the
start-up idempotent and never touches what users stored. To load fixtures into a database that
already has documents, run ``manage.py loaddata`` deliberately.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from statements.models import Document


class Command(BaseCommand):
    help = "Load the given fixtures (one transaction) unless the database already holds documents."

    def add_arguments(self, parser):
        parser.add_argument(
            "fixtures", nargs="*", help="Fixture names, as for loaddata (default: settings.CORPUS_FIXTURES)."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: %(default)s).")

    def handle(self, *args, fixtures, database, **options):
        if Document.objects.using(database).exists():
            self.stdout.write("The database already holds documents: corpus not loaded (it would overwrite edits).")
            return
        call_command(
            "loaddata", *(fixtures or settings.CORPUS_FIXTURES), database=database, verbosity=options["verbosity"]
        )
