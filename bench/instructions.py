"""Instructions per request, counted by callgrind: the benchmark's CPU figures without this host's noise.

    .venv/bin/python bench/instructions.py [--database-url URL] [--only TEXT ...] [--wsgi]

(or ``make bench-instructions``). wrk's req/s on a shared 2-core host move by ±20% within minutes; the number of
instructions the Django process executes for a request does not (valgrind's callgrind counts them, whatever else the
machine is doing). For each endpoint it runs Django's test client under callgrind twice, for 10 and for 40 requests
after a warm-up, and prints the difference / 30: the instructions one request costs the Django process (not its
PostgreSQL backend, nor gunicorn and the kernel; on SQLite the database's work is the process's own), with the
settings the benchmark's server has (bench/settings.py, DJANGO_DEBUG=0, API_CACHE_RESPONSES=0) and a worker's
gc.freeze() (config/gunicorn.conf.py). The endpoints are ``make bench``'s: pages, a document, the filter rows (picked
from the database as bench/run.py picks them, page 1 and a page 90% of the way to the last), the document filter
and searches (``make bench-peer``'s rare word among them). The database must hold a benchmark corpus (``make bench``
fills one on PostgreSQL, ``make bench-peer`` one on SQLite); ``--only`` keeps the rows whose name contains a text.
``--wsgi`` sends the requests through Django's WSGI handler as a gunicorn worker calls it (not the test client, whose
own work is counted too) and has callgrind count the measured requests alone: one run an endpoint.
"""

import argparse
import contextlib
import functools
import io
import json
import os
import re
import runpy
import subprocess
import sys
import tempfile
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: bench/ is on the path, the project is not

from bench.run import PICK_FILTERS, SEARCHES, django_environment, filter_queries  # noqa: E402

FEW, MANY = 10, 40
DOCUMENT = "synthetic-000132-readout-kz-2017"  # 200 clauses in both benchmarks' corpora (seed 1)
PAGE = "/api/v1/clauses/?page_size=50"
CEILING = ("ceiling view", "/bench/ceiling/")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/statements_bench")
    parser.add_argument("--only", nargs="*", default=(), help="Only the endpoints whose name contains one of these.")
    parser.add_argument("--wsgi", action="store_true", help="Through Django's WSGI handler, as gunicorn calls it, not "
                        "the test client; only the measured requests counted (one run an endpoint).")  # fmt: skip
    parser.add_argument("--child", nargs=2, metavar=("PATH", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--plan", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def plan():
    """In a process of its own (not watched): the endpoints, as JSON [(name, path)], with the filter rows' deep pages
    found from their page 1's count (as bench/run.py finds them)."""
    import django

    django.setup()
    from django.test import Client

    client = Client()
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        exec(PICK_FILTERS, {})  # the benchmark's own script
    picks = json.loads(printed.getvalue())

    def count(path):
        return client.get(path).json()["count"]

    deep = max(1, count(PAGE) * 9 // 10 // 50)
    endpoints = [
        CEILING,
        ("clauses, page 1 (50 a page)", PAGE),
        (f"clauses, page {deep:,} (50 a page)", f"{PAGE}&page={deep}"),
        ("document detail (200 clauses)", f"/api/v1/documents/{DOCUMENT}/"),
        ("document= (200 clauses), page 1", f"{PAGE}&document={DOCUMENT}"),
    ]
    for name, query in filter_queries(picks):
        first = f"{PAGE}&{query}"
        deep = max(1, count(first) * 9 // 10 // 50)
        endpoints += [(f"{name}, page 1", first), (f"{name}, page {deep:,}", f"{first}&page={deep}")]
    endpoints += [(f"search: {name} ({q})", "/api/v1/search/?" + urllib.parse.urlencode({"q": q})) for name, q in
                  SEARCHES.items()]  # fmt: skip
    print(json.dumps(endpoints))


def child(path, n, wsgi=False):
    """In the process callgrind watches: a warmed-up worker's ``n`` requests for ``path``, through the test client, or
    (``wsgi``) through Django's WSGI handler inside ``functools.reduce``, the only call callgrind counts then."""
    import django

    django.setup()
    from django.test import Client

    client = Client()
    ceiling_file = Path(os.environ["BENCH_CEILING_FILE"])
    if not ceiling_file.exists():
        ceiling_file.write_bytes(client.get(PAGE).content)
    get = wsgi_get() if wsgi else lambda path: client.get(path).status_code
    for _ in range(3):  # the document map, the vocabulary, prepared statements
        assert get(path) == 200, path
    runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))["post_worker_init"](worker=None)
    if wsgi:
        functools.reduce(lambda _, __: get(path), range(int(n)), None)
    else:
        for _ in range(int(n)):
            get(path)


def wsgi_get():
    """A function path -> status that makes a GET through Django's WSGI handler, as a gunicorn worker does, and reads
    the whole response."""
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    def get(path):
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "testserver",
            "SERVER_PORT": "80", "HTTP_HOST": "testserver", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        }  # fmt: skip
        status = []
        response = application(environ, lambda line, headers, exc_info=None: status.append(line))
        b"".join(response)
        response.close()
        return int(status[0].split()[0])

    return get


def instructions(env, path, n, wsgi=False):
    counted = ["--collect-atstart=no", "--toggle-collect=functools_reduce", "--wsgi"] if wsgi else []
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *counted[:2], sys.executable, __file__,
         "--child", path, str(n), *counted[2:]],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))


def main():
    args = parse_args()
    if args.child:
        return child(*args.child, wsgi=args.wsgi)
    if args.plan:
        return plan()
    ceiling_file = Path(tempfile.gettempdir()) / "statements-instructions-ceiling.json"
    env = django_environment(args.database_url, ceiling_file, cache_responses=False, allowed_hosts="testserver")
    planned = subprocess.run([sys.executable, __file__, "--plan"], env=env, cwd=ROOT, capture_output=True, text=True,
                             check=True)  # fmt: skip
    endpoints = [CEILING] + [
        (name, path)
        for name, path in json.loads(planned.stdout.splitlines()[-1])[1:]
        if not args.only or any(text in name for text in args.only)
    ]
    instructions(env, PAGE, 0)  # writes the ceiling's body (a page of 50 clauses) first

    def per_request(endpoint):
        _, path = endpoint
        if args.wsgi:  # the measured requests alone are counted
            return instructions(env, path, MANY, wsgi=True) / MANY
        return (instructions(env, path, MANY) - instructions(env, path, FEW)) / (MANY - FEW)

    with ThreadPoolExecutor(2) as pool:  # two valgrinds at a time: one a core
        counts = list(pool.map(per_request, endpoints))
    print("| endpoint | instructions a request (Django process) | ceiling's / this |")
    print("| --- | ---: | ---: |")
    for (name, _), count in zip(endpoints, counts, strict=True):
        print(f"| {name} | {count / 1e6:.2f} M | {counts[0] / count:.0%} |")


if __name__ == "__main__":
    main()
