"""Every source's Reading, one JSON line a file, to compare two versions of the reader (a parser upgrade or swap).

    .venv/bin/python bench/readings.py [--out FILE] [--inputs FILE.jsonl] [PATH ...]

Reads every source under PATHs (default: ``fixtures/`` and ``tests/``, as ``import_statement`` finds them) with the
shipped party vocabulary, and writes for each its draft (sections, clauses with their labels, lines and texts,
footnotes, signatories, parties), its warnings (line, kind, message) and datelines, or its errors. ``--inputs``
adds Markdown bodies recorded elsewhere (JSON lines of ``{"lines": [...], "first_line": N, "title": "..."}``: every
body the test suite reads, by ``bench/record_bodies.py``), written with ``read_body``'s result. Run it on both
versions and ``diff`` the two files: no line may differ. The manifest (``make corpus-manifest``) proves the same
for the shipped corpus as it is saved; this also covers line numbers, warnings and every test source.
"""

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "fixtures", ROOT / "tests"])
    parser.add_argument("--out", type=Path, help="write here (default: standard output)")
    parser.add_argument("--inputs", type=Path, help="JSON lines of Markdown bodies to read with read_body too")
    args = parser.parse_args()

    import django

    django.setup()
    from statements.importing.drafts import ImportErrorList
    from statements.importing.markdown import read_body
    from statements.importing.sources import read_source, source_files
    from statements.vocabulary import PartyVocabulary

    find_parties = PartyVocabulary.default().codes
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    for path in source_files(args.paths):
        try:
            reading = read_source(path.read_bytes(), name=path.name, find_parties=find_parties)
            record = dataclasses.asdict(reading)
        except ImportErrorList as error:
            record = {"errors": error.errors}
        out.write(json.dumps({"file": str(path.relative_to(ROOT)), **record}, default=str, sort_keys=True) + "\n")
    if args.inputs:
        for number, line in enumerate(args.inputs.read_text(encoding="utf-8").splitlines()):
            given = json.loads(line)
            body = read_body(given["lines"], given["first_line"], given["title"])
            record = dataclasses.asdict(body)
            out.write(json.dumps({"input": number, **record}, default=str, sort_keys=True) + "\n")
    if args.out:
        out.close()


if __name__ == "__main__":
    main()
