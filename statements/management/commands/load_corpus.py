"""Load the whole corpus (settings.CORPUS_FIXTURES) in one transaction: ``make load`` runs it.

Natural keys make it idempotent, and a failing load changes nothing. On a live database it overwrites
rows that curators edited with the fixtures' values: ``seed_corpus`` is the start-up variant that only
loads an empty database.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS


class Command(BaseCommand):
    help = "Load the corpus fixtures listed in settings.CORPUS_FIXTURES (one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: %(default)s).")

    def handle(self, *args, database, **options):
        call_command("loaddata", *settings.CORPUS_FIXTURES, database=database, verbosity=options["verbosity"])
