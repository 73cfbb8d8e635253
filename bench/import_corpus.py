"""Bulk import speed: the shipped corpus imported into scratch databases, with tagging, and imported again.

    .venv/bin/python bench/import_corpus.py [--postgres-url URL] [--sources DIR] [--rounds 3] [--profile N] [--phases]

(or ``make bench-import``). For SQLite (a temporary file) and PostgreSQL (a scratch database, emptied
first), each round: a fresh schema (migrate), the vocabularies (settings.CORPUS_FIXTURES but the
corpus), then ``import_statement SOURCES`` timed in-process (parse, tag, save: clauses/s), then the same
command again (every file must be "unchanged"). Prints the figures of every round and their median, and
where the first import spent its time (reading: parse and tag; saving). ``--profile N`` adds one more round per
database under cProfile, every file read in this process (so that parsing and tagging show), and prints its N
costliest functions by own time and by cumulative time. ``--phases`` adds, on PostgreSQL, the CPU seconds of reading
every file in one process, step by step (parse, tag, shingles), the median of three passes: a figure a busy machine
disturbs less than the wall clock. On PostgreSQL, when the server runs on this machine, the CPU seconds its process
spent on the import are printed too (``srv s``; clauses per CPU second count the import's own processes only, as
before): on a small machine the reading workers, the saving process and the server share the cores, so the sum is
what bounds the wall time. A benchmark prints figures: nothing here passes or fails.
"""

import argparse
import cProfile
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "BENCH_IMPORT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/statements_importer_bench"
        ),
        help="A scratch PostgreSQL database: it is emptied (never one with curated data).",
    )
    parser.add_argument("--sources", default=str(ROOT / "fixtures" / "sources" / "whitehouse"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="Also profile one round per database: its N top functions."
    )
    parser.add_argument(
        "--phases", action="store_true", help="Also time reading's steps in one process, in CPU seconds (PostgreSQL)."
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def child(sources, profile=0, phases=False):
    """One round in this process (DATABASE_URL from the environment): prints one JSON line of figures; with
    ``profile``, the first import runs under cProfile, every file read in this process; with ``phases``, only the
    CPU seconds of reading's steps (``reading_phases``)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from statements import parallel
    from statements.models import Clause, ClauseParty, ClauseTopic, Document

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    vocabularies = [name for name in settings.CORPUS_FIXTURES if "corpus" not in name]
    call_command("loaddata", *vocabularies, verbosity=0)
    if phases:
        print(json.dumps(reading_phases(sources)))
        return
    figures = {"database": connection.vendor}
    for run in ("first", "second"):
        out, err = StringIO(), StringIO()
        profiler = cProfile.Profile() if profile and run == "first" else None
        if profiler:
            parallel.PARALLEL_FROM = sys.maxsize  # read in this process, where the profiler sees it
            profiler.enable()
        server = server_cpu_seconds(connection)
        start, cpu = time.perf_counter(), cpu_seconds()
        call_command("import_statement", sources, stdout=out, stderr=err, verbosity=0)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        server = server_spent(server, server_cpu_seconds(connection))
        if profiler:
            profiler.disable()
            figures["profile"] = profile_text(profiler, profile)
        lines = out.getvalue().strip().splitlines()
        figures[run] = {
            "seconds": seconds,
            "cpu": cpu,
            "server_cpu": server,
            "summary": lines[0],
            "detail": lines[-1],
        }
    figures["clauses"] = Clause.objects.count()
    figures["documents"] = Document.objects.count()
    figures["links"] = ClauseTopic.objects.count() + ClauseParty.objects.count()
    print(json.dumps(figures))


def reading_phases(sources, passes=3):
    """{step: CPU seconds} of reading every file of ``sources`` in this process, as a reading worker does (the
    rules loaded once first, timed too), the median of ``passes`` passes."""
    from pathlib import Path

    from statements.importing.batch import _Reader
    from statements.importing.sources import read_source, source_files
    from statements.importing.tagging import tag_draft
    from statements.similarity import text_shingles

    started = time.process_time()
    _Reader.load(strict=False, limit=None)
    loaded = time.process_time() - started
    parties, vocabulary, topic_rules, party_aliases, *_ = _Reader.context
    files = [(path.name, path.read_bytes()) for path in source_files([Path(sources)])]
    rounds = []
    for _ in range(passes):
        spent = dict.fromkeys(("parse", "tag", "shingles"), 0.0)
        for name, data in files:
            started = time.process_time()
            draft = read_source(data, name=name, parties=parties, find_parties=vocabulary.codes).draft
            parsed = time.process_time()
            tag_draft(draft, topic_rules, party_aliases, vocabulary)
            tagged = time.process_time()
            for clause in draft.clauses():
                clause.shingles = text_shingles(clause.text)
            spent["parse"] += parsed - started
            spent["tag"] += tagged - parsed
            spent["shingles"] += time.process_time() - tagged
        rounds.append(spent)
    figures = {step: statistics.median(spent[step] for spent in rounds) for step in rounds[0]}
    return {**figures, "reading": statistics.median(sum(spent.values()) for spent in rounds), "rules": loaded}


def profile_text(profiler, top):
    """The ``top`` functions by own time, then by cumulative time, paths shortened to the project's."""
    text = StringIO()
    stats = pstats.Stats(profiler, stream=text)
    for order in ("tottime", "cumulative"):
        stats.sort_stats(order).print_stats(top)
    library = f"{sys.prefix}/lib/python{sys.version_info[0]}.{sys.version_info[1]}/"
    lines = [line.replace(f"{ROOT}/", "").replace(library, "") for line in text.getvalue().splitlines()]
    return "\n".join(line for line in lines if line.strip() and "List reduced" not in line)


def server_cpu_seconds(connection):
    """(pid, CPU seconds since it started) of the PostgreSQL server process serving ``connection``, when the server
    runs on this machine (its /proc entry is readable), else None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, in clock ticks


def server_spent(before, after):
    """The server's CPU seconds between two ``server_cpu_seconds``: an import that forks reading workers closes the
    connection first and saves in a new one (its server process started then: all of its time is the import's)."""
    if before is None or after is None:
        return None
    return after[1] - (before[1] if before[0] == after[0] else 0.0)


def cpu_seconds():
    """CPU seconds of this process and its finished children (the import's reading workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_child(script, database_url, arguments):
    """Run ``script --child arguments`` on ``database_url`` in a fresh process (production settings, no Redis) and
    return the JSON figures it prints last; exit with its error output if it fails. bench/retag.py uses it too."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "bench"}
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, script, "--child", *arguments], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"the run on {database_url} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_round(database_url, sources, profile=0, phases=False):
    return run_child(
        __file__, database_url, ["--sources", sources, "--profile", str(profile), *(["--phases"] if phases else [])]
    )


def main():
    args = parse_args()
    if args.child:
        child(args.sources, args.profile, args.phases)
        return
    name = args.postgres_url.rsplit("/", 1)[1]
    # a scratch database made anew: a schema left by another branch's migrations would not migrate
    for command in ("dropdb", "createdb"):
        subprocess.run([command, "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True, check=False)
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", f"sqlite:///{folder}/bench-import.sqlite3"), ("PostgreSQL", args.postgres_url)]
        files = [path for path in Path(args.sources).glob("*.md") if not path.name.upper().startswith("README")]
        print(f"Importing {args.sources} ({len(files)} files), {args.rounds} rounds")
        print(f"(load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; cpu s and per cpu s: this")
        print(" process and its reading workers; srv s: PostgreSQL's server process, when it runs on this machine)")
        print(
            f"{'database':<11} {'round':>5} {'clauses':>8} {'links':>7} {'wall s':>7} {'clauses/s':>10} "
            f"{'cpu s':>6} {'srv s':>6} {'per cpu s':>10} {'again s':>8}  again"
        )
        for label, url in targets:
            rates, cpu_rates, servers = [], [], []
            for number in range(1, args.rounds + 1):
                figures = run_round(url, args.sources)
                first = figures["first"]
                server = first["server_cpu"]
                servers += [server] if server is not None else []
                rates.append(figures["clauses"] / first["seconds"])
                cpu_rates.append(figures["clauses"] / first["cpu"])
                print(
                    f"{label:<11} {number:>5} {figures['clauses']:>8} {figures['links']:>7} {first['seconds']:>7.2f} "
                    f"{rates[-1]:>10,.0f} {first['cpu']:>6.2f} {'-' if server is None else f'{server:.2f}':>6} "
                    f"{cpu_rates[-1]:>10,.0f} "
                    f"{figures['second']['seconds']:>8.2f}  {figures['second']['summary']}"
                )
                print(f"{'':<11} {'':>5} first import: {first['detail']}")
            if rates:  # none with --rounds 0 (only --profile or --phases)
                print(
                    f"{label:<11} median clauses/s with tagging: {statistics.median(rates):,.0f} wall, "
                    f"{statistics.median(cpu_rates):,.0f} per CPU second"
                    + (f"; the server's CPU {statistics.median(servers):.2f} s" if servers else "")
                )
            if args.profile:
                figures = run_round(url, args.sources, args.profile)
                print(f"\n{label}: the first import under cProfile, read in one process ({figures['first']['detail']})")
                print(figures["profile"], end="\n\n")
        if args.phases:
            figures = run_round(args.postgres_url, args.sources, phases=True)
            steps = ", ".join(f"{step} {seconds:.2f}" for step, seconds in figures.items())
            print(f"reading in one process, CPU seconds (median of 3 passes; rules: loading them once): {steps}")


if __name__ == "__main__":
    main()
