"""Load the corpus into a database that has no documents yet (bin/start runs it at every start).

The corpus is the fixtures (settings.CORPUS_FIXTURES) and the statements the project ships as sources
(settings.CORPUS_SOURCES, imported as import_statement would, with a progress bar), all in one
transaction: a failure leaves the database empty, and the next start tries again.

loaddata alone is idempotent but not harmless on a live database: with natural keys it finds each
existing row and overwrites it with the fixture's values, so restarting a container would undo
every curator's edit and bring back what they deleted. Seeding only an empty database keeps the
start-up idempotent, never touches what users stored, and never imports the sources twice. To load
fixtures into a database that already has documents, run ``manage.py load_corpus`` deliberately.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, transaction

from statements.importing.batch import ImportFailed, import_corpus_sources
from statements.models import Document


class Command(BaseCommand):
    help = (
        "Load the given fixtures and the corpus sources (one transaction) unless the database already holds documents."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "fixtures", nargs="*", help="Fixture names, as for loaddata (default: settings.CORPUS_FIXTURES)."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: %(default)s).")
        parser.add_argument(
            "--no-sources", action="store_true", help="Load the fixtures only (not settings.CORPUS_SOURCES)."
        )

    def handle(self, *args, fixtures, database, no_sources, **options):
        if Document.objects.using(database).exists():
            self.stdout.write("The database already holds documents: corpus not loaded (it would overwrite edits).")
            return
        verbosity = options["verbosity"]
        fixtures = fixtures or settings.CORPUS_FIXTURES
        if no_sources or not settings.CORPUS_SOURCES:
            call_command("loaddata", *fixtures, database=database, verbosity=verbosity)
            return
        if database != DEFAULT_DB_ALIAS:
            raise CommandError("The corpus sources import into the default database only: use --no-sources.")

        try:
            with transaction.atomic():  # the fixtures first: the parties and rules the sources need
                call_command("loaddata", *fixtures, database=database, verbosity=0)
                report = import_corpus_sources(self.stderr, verbose=verbosity >= 1)
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(error)
            raise CommandError("The corpus was not loaded: nothing was written.") from failure
        self.stdout.write(
            f"Loaded {', '.join(fixtures)} and imported {len(report.results)} statement(s) "
            f"({report.clauses} clauses) from {', '.join(str(p) for p in settings.CORPUS_SOURCES)}."
        )
