"""Regenerate fixtures/parties.json, the party vocabulary the project ships, from pycountry and the curated data.

    python manage.py build_party_fixture            # write fixtures/parties.json
    python manage.py build_party_fixture --check    # exit 1 if fixtures/parties.json is not what it would write

The states come from pycountry (ISO 3166-1 codes, ISO and official names) and
``statements/vocabulary/data/states.yaml`` (UN membership, short names, aliases, demonyms); the organisations
and groups, with their members, from ``data/organisations.yaml``. Edit those files, run the command, commit
both: the fixture is never edited by hand. ``load_corpus`` (``make load``) and ``bin/start``'s seeding load it
with the rest of ``settings.CORPUS_FIXTURES``. The database is not touched.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from statements.vocabulary import VocabularyError, build_records
from statements.vocabulary.database import fixture_objects

DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "fixtures" / "parties.json"


def fixture_text():
    """The fixture as the command writes it (UTF-8 JSON, two-space indent, a final newline)."""
    return json.dumps(fixture_objects(build_records()), ensure_ascii=False, indent=2) + "\n"


class Command(BaseCommand):
    help = "Write fixtures/parties.json (the party vocabulary) from pycountry and statements/vocabulary/data/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=DEFAULT_OUTPUT, help="Where to write (default: %(default)s)."
        )
        parser.add_argument(
            "--check", action="store_true", help="Write nothing; fail if the file differs from what would be written."
        )

    def handle(self, *args, output, check, **options):
        try:
            text = fixture_text()
        except VocabularyError as error:
            raise CommandError(f"the curated party data is inconsistent: {error}") from error
        records = build_records()
        if check:
            if not output.exists() or output.read_text(encoding="utf-8") != text:
                raise CommandError(f"{output} is not what build_party_fixture writes: run it and commit the result")
            self.stdout.write(f"{output} is up to date ({len(records)} parties).")
            return
        output.write_text(text, encoding="utf-8")
        counts = {kind: sum(r.kind == kind for r in records) for kind in ("state", "organisation", "group")}
        names = sum(len(r.aliases) + len(r.demonyms) for r in records)
        self.stdout.write(
            f"Wrote {output}: {counts['state']} states, {counts['organisation']} organisations, "
            f"{counts['group']} groups, {names} aliases and demonyms."
        )
