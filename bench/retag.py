"""Re-tagging speed: every clause of the seeded corpus (the seed and the 695 shipped statements) re-tagged by
``retag`` (statements.retagging), on SQLite and PostgreSQL, without the embedding model (there is none).

    .venv/bin/python bench/retag.py [--postgres-url URL] [--rounds 3]

(or ``make bench-tagging``). For each database, a fresh schema (migrate) and ``seed_corpus`` (fixtures, then the
sources imported), then ``retag`` timed in-process, ``--rounds`` times: the first run after the import writes
nothing (the import tagged with the same rules), so each round measures reading every clause, running every rule
on it and comparing with the links in the database, in one transaction. Prints clauses/s in wall time and per
CPU second of this process and its tagging workers (the database server's CPU is not counted) and the tagging alone
(the topic rules, the aliases and the speaker attribution, document by document, in this process).
A benchmark prints figures: nothing here passes or fails.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_corpus import cpu_seconds, run_child  # noqa: E402 -- needs the path above


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "BENCH_TAGGING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/statements_topics_bench"
        ),
        help="A scratch PostgreSQL database: it is dropped and made anew (never one with curated data).",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def child(rounds):
    """The rounds in this process (DATABASE_URL from the environment): prints one JSON line of figures."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    from statements.importing.sources import party_vocabulary
    from statements.models import Clause
    from statements.models.tagging_rules import load_rules
    from statements.retagging import retag, tag_document_clauses

    call_command("migrate", verbosity=0)
    call_command("seed_corpus", stdout=StringIO(), stderr=StringIO())
    figures = {"database": connection.vendor, "clauses": Clause.objects.count(), "rounds": []}
    for _ in range(rounds):
        topic_rules, party_aliases = load_rules()
        start, cpu = time.perf_counter(), cpu_seconds()
        result = retag(topic_rules, party_aliases)
        figures["rounds"].append(
            {
                "wall": time.perf_counter() - start,
                "cpu": cpu_seconds() - cpu,
                "changed": result.changed_clauses,
                "rules": len(topic_rules),
            }
        )
    # The tagging alone, in this process: each document's clauses through the function retag's workers run.
    topic_rules, party_aliases = load_rules()
    vocabulary, work = party_vocabulary(), documents_to_tag()
    cpu = time.process_time()
    for document, codes, clauses in work:
        tag_document_clauses(document, codes, clauses, topic_rules, party_aliases, vocabulary)
    figures["tagging_cpu"] = time.process_time() - cpu
    print(json.dumps(figures))


def documents_to_tag():
    """[(document row, its party codes, its clause rows in reading order)] for every document, in id order: what
    ``statements.retagging.tag_document_clauses`` takes (bench/tagging_instructions.py tags them too)."""
    from statements.models import Clause, Document
    from statements.retagging import document_parties

    parties_of, clauses_of = document_parties(), {}
    rows = Clause.objects.order_by("document_id", "position").values_list(
        "pk", "document_id", "eid", "text", named=True
    )
    for row in rows:
        clauses_of.setdefault(row.document_id, []).append(row)
    documents = Document.objects.order_by("pk").values_list("pk", "title", "kind", "source_url", "date", named=True)
    return [(d, tuple(parties_of.get(d.pk, ())), clauses_of.get(d.pk, [])) for d in documents]


def run(database_url, rounds):
    return run_child(__file__, database_url, ["--rounds", str(rounds)])


def main():
    args = parse_args()
    if args.child:
        child(args.rounds)
        return
    name = args.postgres_url.rsplit("/", 1)[1]
    for command in ("dropdb", "createdb"):
        subprocess.run([command, "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True, check=False)
    print(
        f"Re-tagging the seeded corpus, {args.rounds} rounds (load average before: {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores)"
    )
    with tempfile.TemporaryDirectory() as folder:
        for label, url in [("SQLite", f"sqlite:///{folder}/bench-tagging.sqlite3"), ("PostgreSQL", args.postgres_url)]:
            figures = run(url, args.rounds)
            clauses = figures["clauses"]
            walls = [clauses / r["wall"] for r in figures["rounds"]]
            cpus = [clauses / r["cpu"] for r in figures["rounds"]]
            rules = figures["rounds"][0]["rules"]
            print(
                f"{label:<11} {clauses:,} clauses, {rules} topic rules: retag median {statistics.median(walls):,.0f} "
                f"clauses/s wall, {statistics.median(cpus):,.0f} per CPU second (rounds: "
                + ", ".join(f"{w:,.0f}" for w in walls)
                + f"); the rules alone {clauses / figures['tagging_cpu']:,.0f} clauses per CPU second"
            )


if __name__ == "__main__":
    main()
