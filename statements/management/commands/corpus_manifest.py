"""manage.py corpus_manifest: the rows the database holds, one line a row (statements/importing/manifest.py).

python manage.py corpus_manifest                 # print it
python manage.py corpus_manifest --write FILE    # write it (make corpus-manifest: from a fresh import)
python manage.py corpus_manifest --check FILE    # exit non-zero, with the differences, unless equal
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from statements.importing.manifest import differences, manifest_lines


class Command(BaseCommand):
    help = "Print, write or check the manifest of the corpus in the database (every document, section and clause)."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--write", metavar="FILE", help="Write the manifest to FILE.")
        action.add_argument("--check", metavar="FILE", help="Compare with FILE; fail with the differences.")

    def handle(self, *args, write, check, **options):
        lines = manifest_lines()
        if write:
            Path(write).write_text("\n".join(lines) + "\n", encoding="utf-8")
            self.stdout.write(f"Wrote {len(lines) - 1} rows to {write}.")
        elif check:
            expected = Path(check).read_text(encoding="utf-8").splitlines()
            diff = differences(expected, lines)
            if diff:
                self.stderr.write("\n".join(diff))
                raise CommandError(f"The database differs from {check}: regenerate it with `make corpus-manifest`.")
            self.stdout.write(f"The database matches {check} ({len(lines) - 1} rows).")
        else:
            self.stdout.write("\n".join(lines))
