"""Load the whole corpus: the fixtures (settings.CORPUS_FIXTURES, one transaction) and the statements the
project ships as sources (settings.CORPUS_SOURCES, imported as import_statement would, with a progress bar).
``make load`` runs it.

Natural keys make the fixtures idempotent and a failing load changes nothing; the sources import as new
documents, or report "unchanged". On a live database loaddata overwrites rows that curators edited with
the fixtures' values: ``seed_corpus`` is the start-up variant that only loads an empty database.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from statements.importing.batch import ImportFailed, import_corpus_sources


class Command(BaseCommand):
    help = "Load the corpus fixtures (settings.CORPUS_FIXTURES, one transaction), then import settings.CORPUS_SOURCES."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: %(default)s).")
        parser.add_argument(
            "--no-sources", action="store_true", help="Load the fixtures only (not settings.CORPUS_SOURCES)."
        )

    def handle(self, *args, database, no_sources, **options):
        call_command("loaddata", *settings.CORPUS_FIXTURES, database=database, verbosity=options["verbosity"])
        if no_sources or not settings.CORPUS_SOURCES:
            return
        if database != DEFAULT_DB_ALIAS:
            raise CommandError("The corpus sources import into the default database only: use --no-sources.")
        try:
            report = import_corpus_sources(self.stderr, verbose=options["verbosity"] >= 1)
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(error)
            raise CommandError("The corpus sources were not imported: nothing of them was written.") from failure
        created = sum(result.created for result in report.results)
        updated = sum(result.changed and not result.created for result in report.results)
        self.stdout.write(
            f"Corpus sources: {len(report.results)} statement(s), {created} created, {updated} updated, "
            f"{len(report.results) - created - updated} unchanged."
        )
