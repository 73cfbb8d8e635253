"""Read (parse, no tagging) every source of the corpus once in this process: a load for callgrind to count.

    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=functools_reduce \\
        --callgrind-out-file=/dev/null .venv/bin/python bench/read_corpus.py [--sources DIR]

The reading runs inside ``functools.reduce`` (after Django's setup, the vocabulary's compiling and one warm-up file),
so that callgrind, told to count inside that C function only, counts the instructions ``read_source`` spends on the
corpus: a figure the machine's other load does not move (README "Bulk import").
"""

import argparse
import functools
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, default=ROOT / "fixtures" / "sources" / "whitehouse")
    args = parser.parse_args()

    import django

    django.setup()
    from statements.importing.sources import read_source, source_files
    from statements.vocabulary import PartyVocabulary

    find_parties = PartyVocabulary.default().codes
    files = [(path.name, path.read_bytes()) for path in source_files([args.sources])]
    read_source(files[0][1], name=files[0][0], find_parties=find_parties)  # imports and caches warmed up

    def read(_, file):
        return read_source(file[1], name=file[0], find_parties=find_parties)

    functools.reduce(read, files, None)
    print(f"read {len(files)} files")


if __name__ == "__main__":
    main()
