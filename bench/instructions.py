"""Instructions per request, counted by callgrind: the benchmark's CPU figures without this host's noise.

    .venv/bin/python bench/instructions.py [--database-url URL] [--port-free]

(or ``make bench-instructions``). wrk's req/s on a shared 2-core host move by ±20% within minutes; the number of
instructions the Django process executes for a request does not (valgrind's callgrind counts them, whatever else the
machine is doing). For each endpoint it runs Django's test client under callgrind twice, for 10 and for 40 requests
after a warm-up, and prints the difference / 30: the instructions one request costs the Django process (not its
PostgreSQL backend, nor gunicorn and the kernel), with the settings the benchmark's server has (bench/settings.py,
DJANGO_DEBUG=0, API_CACHE_RESPONSES=0) and a worker's gc.freeze() (config/gunicorn.conf.py). The database must hold
the benchmark's corpus (``make bench`` fills it).
"""

import argparse
import os
import re
import runpy
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: bench/ is on the path, the project is not

from bench.run import django_environment  # noqa: E402 -- needs the path above

FEW, MANY = 10, 40
DOCUMENT = "synthetic-000132-readout-kz-2017"  # 200 clauses in the benchmark's corpus (seed 1)
ENDPOINTS = [
    ("ceiling view", "/bench/ceiling/"),
    ("clauses, page 1 (50 a page)", "/api/v1/clauses/?page_size=50"),
    ("clauses, page 20,000 (50 a page)", "/api/v1/clauses/?page_size=50&page=20000"),
    ("document detail (200 clauses)", f"/api/v1/documents/{DOCUMENT}/"),
    ("search: phrase", "/api/v1/search/?q=%22next+round+of+consultations%22"),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/statements_bench")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "N"), help=argparse.SUPPRESS)
    return parser.parse_args()


def child(path, n):
    """In the process callgrind watches: a warmed-up worker's ``n`` requests for ``path``."""
    import django

    django.setup()
    from django.test import Client

    client = Client()
    ceiling_file = Path(os.environ["BENCH_CEILING_FILE"])
    if not ceiling_file.exists():
        ceiling_file.write_bytes(client.get(ENDPOINTS[1][1]).content)
    for _ in range(3):  # the document map, the vocabulary, prepared statements
        assert client.get(path).status_code == 200, path
    runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))["post_worker_init"](worker=None)
    for _ in range(int(n)):
        client.get(path)


def instructions(env, path, n):
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
         "--child", path, str(n)],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))


def main():
    args = parse_args()
    if args.child:
        return child(*args.child)
    ceiling_file = Path(tempfile.gettempdir()) / "statements-instructions-ceiling.json"
    env = django_environment(args.database_url, ceiling_file, cache_responses=False, allowed_hosts="testserver")
    instructions(env, ENDPOINTS[1][1], 0)  # writes the ceiling's body (a page of 50 clauses) first

    def per_request(endpoint):
        _, path = endpoint
        return (instructions(env, path, MANY) - instructions(env, path, FEW)) / (MANY - FEW)

    with ThreadPoolExecutor(2) as pool:  # two valgrinds at a time: one a core
        counts = list(pool.map(per_request, ENDPOINTS))
    print("| endpoint | instructions a request (Django process) | ceiling's / this |")
    print("| --- | ---: | ---: |")
    for (name, _), count in zip(ENDPOINTS, counts, strict=True):
        print(f"| {name} | {count / 1e6:.2f} M | {counts[0] / count:.0%} |")


if __name__ == "__main__":
    main()
