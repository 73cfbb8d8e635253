"""Search latency at scale, through the server as production runs it: rare, medium and very common words and a phrase,
each alone and with a topic or a party filter.

    .venv/bin/python bench/search.py --database-url URL [--clauses N] [--port 8130] [--repeat 40] [--explain]

(or ``make bench-search``: SQLite at 200,000 clauses; ``make bench-search BENCH_SEARCH_DATABASE_URL=postgres://...
BENCH_SEARCH_CLAUSES=1000000`` for PostgreSQL). It tops the database up with ``generate_corpus`` if it holds fewer
clauses than asked, starts bin/start (gunicorn, 2 sync workers, DEBUG off, whole responses not cached: counts are,
and on SQLite a search's ranking, per data version, as in production), and for each search prints the first
request's time (the count, and on SQLite the ranking, is computed then) and the p50,
p95 and max of ``--repeat`` more, one request at a time; then the top 5 of "cooperation" (document slug, eid, rank)
and, with ``--explain``, EXPLAIN ANALYZE of each query a search for "cooperation" runs. It prints; nothing passes or
fails.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import SEARCHES, Server, get, prepare_database  # noqa: E402

FILTERS = {"": {}, "topic=economy": {"topic": "economy"}, "party=kz": {"party": "kz"}}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_SEARCH_DATABASE_URL", f"sqlite:///{ROOT / 'bench-search.sqlite3'}"),
        help="A scratch database (SQLite or PostgreSQL; never one with curated data).",
    )
    parser.add_argument("--clauses", type=int, default=200_000, help="Clauses the corpus must have (default 200k).")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_SEARCH_PORT", "8130")))
    parser.add_argument("--repeat", type=int, default=40, help="Timed requests per search after the first.")
    parser.add_argument("--explain", action="store_true", help="Print the plans of a search for 'cooperation'.")
    return parser.parse_args()


def timed(port, params):
    started = time.perf_counter()
    status, _, body = get(port, "/api/v1/search/?" + urllib.parse.urlencode(params))
    elapsed = (time.perf_counter() - started) * 1000
    assert status == 200, body[:300]
    return elapsed, json.loads(body)


def measure(port, repeat):
    print("\n| search | filter | count | first ms | p50 ms | p95 ms | max ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name, q in SEARCHES.items():
        for label, extra in FILTERS.items():
            params = {"q": q, "page_size": 20, **extra}
            first, body = timed(port, params)
            times = sorted(timed(port, params)[0] for _ in range(repeat))
            p95 = times[max(0, round(len(times) * 0.95) - 1)]
            print(f"| {name}: `{q}` | {label or '-'} | {body['count']:,} | {first:.1f} | "
                  f"{statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f} |", flush=True)  # fmt: skip


def top(port, q="cooperation"):
    _, body = timed(port, {"q": q, "page_size": 5})
    print(f"\nTop 5 for `{q}` (document slug / eid / rank):")
    for result in body["results"]:
        print(f"  {result['document']['slug']} / {result['eid']} / {result['rank']}")


EXPLAIN_SCRIPT = """
import django
django.setup()
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from statements import search_ranking
from statements.selection import ClauseSelection
for label, selection in [("no filter", ClauseSelection()), ("topic=economy", ClauseSelection(topics=("economy",)))]:
    cache.clear()  # SQLite ranks a search once per data version (statements.search_fts5): the statement that does it
    with CaptureQueriesContext(connection) as queries:
        count = search_ranking.match_count("default", selection, "cooperation")
        search_ranking.ranked_window("default", selection, "cooperation", 0, 20, count)
    for query in queries.captured_queries:
        if "querytree" in query["sql"]:
            continue
        print(f"\\n-- cooperation, {label}: {query['sql']}\\n")
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + query["sql"])
            print("\\n".join(" | ".join(map(str, row)) for row in cursor.fetchall()))
"""


def explain(database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    subprocess.run([sys.executable, "-c", EXPLAIN_SCRIPT], env=env, cwd=ROOT, check=True)


def main():
    args = parse_args()
    args.connections, args.duration = 1, 1  # what bench.run's helpers read
    prepare_database(args)
    vendor = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(f"== {vendor}, {args.clauses:,} clauses: search through bin/start (2 workers), uncached", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        server = Server(args, Path(scratch) / "ceiling.json", cache_responses=False)
        try:
            for _ in range(3):  # each worker's connection and first queries
                timed(args.port, {"q": "warm up", "page_size": 1})
            measure(args.port, args.repeat)
            top(args.port)
        finally:
            server.stop()
    if args.explain:
        explain(args.database_url)


if __name__ == "__main__":
    main()
