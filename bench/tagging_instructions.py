"""Instructions the tagging costs, counted by callgrind: bench/retag.py's figures without this host's noise.

    .venv/bin/python bench/tagging_instructions.py [--every 3]

On a shared 2-core host a retag's wall time moves with the load (a round of 1.5 s at load 1 took 5 to 10 s at load
16); the instructions the tagging executes do not. The database (DATABASE_URL) must hold the seeded corpus
(``seed_corpus``). Under ``valgrind --tool=callgrind``, one process loads the rules, the party vocabulary and every
clause, then tags every ``--every``-th document (``tag_document_clauses``, what retag's workers run) inside a call
of ``functools.reduce``, the only part callgrind counts (``--toggle-collect``); it prints that count. What it does not
see: the system calls (each timed regex call's ``clock_gettime``), the database and the workers' start.
A benchmark prints figures: nothing here passes or fails.
"""

import argparse
import functools
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(every):
    """Load, then tag every ``every``-th document inside functools.reduce (what callgrind counts)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from bench.retag import documents_to_tag
    from statements.importing.sources import party_vocabulary
    from statements.importing.tagging import prepare_rules
    from statements.models.tagging_rules import load_rules
    from statements.retagging import tag_document_clauses

    topic_rules, party_aliases = load_rules()
    vocabulary, work = party_vocabulary(), documents_to_tag()
    prepare_rules(topic_rules, party_aliases)
    tag_document_clauses(*work[0], topic_rules, party_aliases, vocabulary)  # warm: lazy imports, first-use caches

    def tag(*_):
        for document, codes, clauses in work[::every]:
            tag_document_clauses(document, codes, clauses, topic_rules, party_aliases, vocabulary)

    functools.reduce(tag, [0, 1])  # one call of tag, inside the function callgrind counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=int, default=3, help="Tag every N-th document (1: all; 3 takes ~5 min).")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.every)
        return
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=functools_reduce",
         "--callgrind-out-file=/dev/null", sys.executable, __file__, "--child", "--every", str(args.every)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    collected = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or not collected:
        sys.exit(f"the run failed:\n{done.stderr[-3000:]}")
    print(f"tagging every {args.every}th document: {int(collected.group(1)):,} instructions")


if __name__ == "__main__":
    main()
