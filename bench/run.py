"""The benchmark: the API at a million clauses, against the stack's ceiling, on this machine.

    .venv/bin/python bench/run.py [--database-url URL] [--clauses 1000000] [--port 8016] [--duration 10]
                                  [--only TEXT ...]

(or ``make bench``). It fills the scratch database with ``generate_corpus`` if it holds fewer clauses
than asked, starts the server as production does (gunicorn, 2 sync workers, DJANGO_DEBUG=0, the
production settings plus only the ceiling view: bench/settings.py), runs wrk (from Debian's packages,
``make system-deps``) on loopback, after a warm-up, in three rounds of (the ceiling view, then the endpoint),
and prints for each endpoint req/s, p50 and p99 latency and the median of its three ratios to the ceiling
measured just before it in the same server run (all three printed); then search latency percentiles and
top results from a direct timing loop, and the export's throughput and worker memory. ``--only`` measures the rows
whose name contains one of the texts (``--only "clauses, page" topic party kind dates``: page 1, page 20,000 and the
filter rows); the first requests, the search loop and the export run as without it.

The uncached endpoints run on a server started with API_CACHE_RESPONSES=0 (whole responses are not
stored; counts still are, keyed by the data version, as in production); the cached ones on a server
with the production default. A benchmark prints figures: nothing here passes or fails.
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SEARCHES = {
    "rare": "Hohhot",
    "medium": "uncertainty",
    "very common": "cooperation",
    "phrase": '"next round of consultations"',
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/statements_bench"),
        help="A scratch PostgreSQL database (never one with curated data).",
    )
    parser.add_argument("--clauses", type=int, default=1_000_000, help="Clauses the corpus must have (default 1M).")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8016")))
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per endpoint (default 10).")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (default 4).")
    parser.add_argument("--skip-export", action="store_true", help="Do not measure the 1M-clause exports.")
    parser.add_argument(
        "--first-requests-only", action="store_true", help="Time the first requests; skip the uncached tables."
    )
    parser.add_argument(
        "--only", nargs="*", default=(), help="Measure only the rows whose name contains one of these (e.g. topic)."
    )
    return parser.parse_args()


def django_environment(database_url, ceiling_file, cache_responses, allowed_hosts="127.0.0.1,localhost"):
    """The benchmark's Django: the production settings plus the ceiling view, DEBUG off, no rate limit."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40),
        "DJANGO_ALLOWED_HOSTS": allowed_hosts,
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "DJANGO_LOG_LEVEL": "WARNING",
        "API_CACHE_RESPONSES": "1" if cache_responses else "0",
        "API_THROTTLING": "0",  # wrk sends thousands of requests a second from one address: no rate limit here
        "BENCH_CEILING_FILE": str(ceiling_file),
    }


def server_environment(args, ceiling_file, cache_responses):
    return {
        **django_environment(args.database_url, ceiling_file, cache_responses),
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # bin/start runs `python`
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "1",  # one thread: gunicorn's sync worker, as in the measurements
        # A sync worker is killed after this many seconds on one request: the million-clause export needs more.
        "GUNICORN_TIMEOUT": "300",
    }


def prepare_database(args):
    """Migrate the scratch database and top it up to ``--clauses`` synthetic clauses."""
    env = {**os.environ, "DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    manage = [str(VENV_BIN / "python"), str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)

    def shell(script):
        done = subprocess.run([*manage, "shell", "--no-imports", "-c", script], env=env, check=True, cwd=ROOT,
                              capture_output=True, text=True)  # fmt: skip
        return done.stdout.strip().splitlines()[-1]

    script = "from statements.models import Clause; print(Clause.objects.count())"
    count = int(shell(script))
    if count < args.clauses:
        print(f"== generating {args.clauses - count:,} clauses (the database has {count:,})", flush=True)
        subprocess.run([*manage, "generate_corpus", "--clauses", str(args.clauses - count)], env=env, check=True,
                       cwd=ROOT)  # fmt: skip
    script = (
        "from django.db.models import Count, F, Func; from statements.models import Document;"
        "d = Document.objects.annotate(n=Count('clauses')).annotate(off=Func(F('n') - 200, function='ABS'))"
        ".order_by('off', 'slug').first(); print(d.slug, d.n)"
    )
    slug, n = shell(script).split()
    return slug, int(n), json.loads(shell(PICK_FILTERS))


# What the filter rows ask for, picked from the database (the vocabulary changes; a hard-coded slug would not):
# the parent topic and the leaf topic with the most clauses, the partner party with the most clauses (not the one
# in nearly every clause), the commonest kind, and a five-year date range.
PICK_FILTERS = """
import json
from django.db.models import Count, Q
from statements.models import Clause, Party, Topic, Document
def clauses_on(topic):
    return Clause.objects.on_topics([topic.slug]).count()
parents = Topic.objects.filter(parent=None, children__isnull=False).distinct()
parent = max(parents, key=clauses_on)
leaf = Topic.objects.exclude(parent=None).annotate(n=Count("clause_links")).order_by("-n", "slug").first()
parties = Party.objects.annotate(n=Count("clause_links")).filter(n__gt=0).order_by("-n", "code")
kind = Document.objects.values("kind").annotate(n=Count("clauses")).order_by("-n", "kind").first()["kind"]
print(json.dumps({"parent": parent.slug, "leaf": leaf.slug, "party": parties[1].code if len(parties) > 1 else
      parties[0].code, "kind": kind}))
"""
DATE_RANGE = {"date_after": "2010-01-01", "date_before": "2014-12-31"}


def filter_queries(picks):
    """(name, query string) of each filter row: one filter at a time, then two combinations."""
    queries = [
        (f"topic={picks['parent']} (a parent)", {"topic": picks["parent"]}),
        (f"topic={picks['leaf']} (a leaf)", {"topic": picks["leaf"]}),
        (f"party={picks['party']}", {"party": picks["party"]}),
        (f"kind={picks['kind']}", {"kind": picks["kind"]}),
        ("dates 2010-2014", DATE_RANGE),
        (f"topic={picks['parent']} & party={picks['party']}", {"topic": picks["parent"], "party": picks["party"]}),
        (f"kind={picks['kind']} & dates 2010-2014", {"kind": picks["kind"], **DATE_RANGE}),
    ]
    return [(name, urllib.parse.urlencode(query)) for name, query in queries]


class Server:
    """The server as production starts it: bin/start (migrate, seed, collectstatic, gunicorn with
    config/gunicorn.conf.py), DJANGO_DEBUG=0, with 2 workers of 1 thread (sync workers) and the benchmark
    settings (the production settings plus the ceiling view). Its JSON request log goes to /dev/null."""

    def __init__(self, args, ceiling_file, cache_responses):
        self.args, self.port = args, args.port
        env = server_environment(args, ceiling_file, cache_responses)
        self.process = subprocess.Popen(
            [str(ROOT / "bin" / "start")], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if get(self.port, "/api/v1/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("the server did not start (run bin/start with the same environment to see why)")

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def wrk(port, path, args, headers=(), duration=None, warm_up=True, timeout=None):
    """req/s, p50 and p99 in ms, from one wrk run of ``duration`` s, after a 2 s warm-up run that is not reported.

    The warm-up has every worker serve the endpoint first: each gunicorn worker has its own local-memory
    cache (the document map a list pages through: 1-2 s to build at a million clauses, once per worker
    and data version) and its own database connection (whose statements are prepared after 5 runs). The
    cold cost of a first request is printed separately, before the tables.
    """
    if warm_up:
        command = ["wrk", "-t1", f"-c{args.connections}", "-d2s", *(["--timeout", f"{timeout}s"] if timeout else [])]
        for header in headers:
            command += ["-H", header]
        subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, check=True)
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{duration or args.duration}s", "--latency"]
    if timeout is not None:  # seconds before wrk gives up on a response (its default: 2)
        command += ["--timeout", f"{timeout}s"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                            check=True).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        print(f"   !! {errors.group(1)} non-2xx/3xx responses for {path}")
    return rate, latency(output, "50%"), latency(output, "99%")


def latency(output, percentile):
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", output).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def chosen(endpoints, args):
    """The endpoints ``--only`` keeps (all without it)."""
    return [endpoint for endpoint in endpoints if not args.only or any(text in endpoint[0] for text in args.only)]


def measure(port, endpoints, args):
    """wrk on each endpoint, alternating with the ceiling view: rows of (name, rate, p50, p99, ceiling, ratios).

    ROUNDS rounds of (ceiling, endpoint), each run half of ``--duration``; the endpoint's ratio is its rate over
    the ceiling's just before it, and the row is the round with the median ratio (all the rounds' ratios are
    printed too). This shared host's speed drifts by ±20% within minutes: pairing each run with a ceiling run
    seconds before it, and taking the median of several pairs, keeps one slow moment from setting the figure.
    """
    rows = []
    duration = max(1, round(args.duration / 2))
    for name, path, *headers in chosen(endpoints, args):
        rounds = []
        for round_ in range(ROUNDS):
            ceiling = wrk(port, "/bench/ceiling/", args, duration=duration, warm_up=round_ == 0)[0]
            rate, p50, p99 = wrk(port, path, args, *headers, duration=duration, warm_up=round_ == 0)
            rounds.append((rate / ceiling, rate, p50, p99, ceiling))
        ratios = sorted(ratio for ratio, *_ in rounds)
        _, rate, p50, p99, ceiling = sorted(rounds)[len(rounds) // 2]
        rows.append((name, rate, p50, p99, ceiling, ratios))
    return rows


ROUNDS = 3


def table(title, rows):
    print(f"\n{title}\n")
    print("| endpoint | req/s | p50 ms | p99 ms | ceiling req/s (just before) | of ceiling (median) | the rounds |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, rate, p50, p99, ceiling, ratios in rows:
        rounds = " / ".join(f"{ratio:.0%}" for ratio in ratios)
        print(f"| {name} | {rate:,.0f} | {p50:.1f} | {p99:.1f} | {ceiling:,.0f} | {rate / ceiling:.0%} | {rounds} |")
    sys.stdout.flush()


def search_loop(port, repeat=50):
    """Latency of each search, sequentially over one connection each time: cold (first) and warm percentiles."""
    print("\nSearch (top 20 with highlights; direct timing loop, uncached responses)\n")
    print("| query | matches | first ms | p50 ms | p95 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    tops = {}
    for name, q in SEARCHES.items():
        path = "/api/v1/search/?" + urllib.parse.urlencode({"q": q, "page_size": 20})
        timings = []
        for _ in range(repeat + 1):
            started = time.perf_counter()
            status, _, body = get(port, path)
            timings.append((time.perf_counter() - started) * 1000)
            assert status == 200, body[:300]
        data = json.loads(body)
        tops[name] = (q, data["results"][:5])
        warm = sorted(timings[1:])
        p95 = warm[int(len(warm) * 0.95) - 1]
        print(f"| {name}: `{q}` | {data['count']:,} | {timings[0]:.1f} | {statistics.median(warm):.1f} | {p95:.1f} "
              f"| {warm[-1]:.1f} |")  # fmt: skip
    for name, (q, results) in tops.items():
        print(f"\nTop 5 for {name} `{q}`:")
        for result in results:
            print(f"  {result['rank']:.3f} {result['citation']}: {result['snippet'][:160]}")
    sys.stdout.flush()


def export(server, fmt):
    """Stream the whole export once: clauses/s and the largest worker RSS seen (sampled every 0.2 s)."""
    peak, done = [0], threading.Event()

    def sample():
        while not done.is_set():
            for pid in server.worker_pids():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                peak[0] = max(peak[0], int(re.search(r"VmRSS:\s+(\d+)", status).group(1)))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", f"/api/v1/clauses/export/?format={fmt}")
    response = connection.getresponse()
    lines = size = 0
    while chunk := response.read(1 << 20):
        lines += chunk.count(b"\n")
        size += len(chunk)
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    return lines, size, elapsed, peak[0] / 1024


def first_requests(port, paths, label):
    """The time of one request to each path (a cold document map: just after a start, or after a write)."""
    for name, path in paths:
        started = time.perf_counter()
        status, _, _ = get(port, path)
        print(f"   first request {label}, {name}: {(time.perf_counter() - started) * 1000:.0f} ms (status {status})")
    sys.stdout.flush()


def write_one_clause(database_url):
    """A write (one clause's updated_at set to itself): the data version moves, every cached map is stale."""
    subprocess.run(["psql", database_url, "-qc", "UPDATE statements_clause SET updated_at = updated_at WHERE id = "
                    "(SELECT min(id) FROM statements_clause)"], check=True)  # fmt: skip
    time.sleep(1.5)  # API_DATA_VERSION_MAX_AGE: the workers read the new version within a second


def filter_pages(port, page, picks):
    """(name, path) of each filter's page 1 and of a deep page (90% of the way to its last page), the deep page found
    from page 1's count."""
    pages = []
    for name, query in filter_queries(picks):
        first = f"{page}&{query}"
        count = json.loads(get(port, first)[2])["count"]
        deep = max(1, count * 9 // 10 // 50)
        pages += [(f"{name}, page 1 ({count:,})", first), (f"{name}, page {deep:,}", f"{first}&page={deep}")]
    return pages


def main():
    args = parse_args()
    slug, n, picks = prepare_database(args)
    ceiling_file = Path(tempfile.gettempdir()) / f"statements-bench-ceiling-{args.port}.json"
    print(f"== {args.clauses:,}+ clauses; document detail: {slug} ({n} clauses); wrk -c{args.connections} "
          f"per endpoint {ROUNDS} rounds of {max(1, round(args.duration / 2))} s (ceiling, then endpoint), "
          "2 gunicorn sync workers", flush=True)  # fmt: skip
    page = "/api/v1/clauses/?page_size=50"
    uncached = [
        ("clauses, page 1 (50 a page)", page),
        (f"document detail ({n} clauses)", f"/api/v1/documents/{slug}/"),
        ("clauses, page 20,000 (50 a page)", page + "&page=20000"),
        *((f"search: {name}", "/api/v1/search/?" + urllib.parse.urlencode({"q": q})) for name, q in SEARCHES.items()),
    ]
    firsts = [(name, f"{page}&{query}") for name, query in filter_queries(picks)]

    server = Server(args, ceiling_file, cache_responses=False)
    try:
        _, _, body = get(args.port, page)
        ceiling_file.write_bytes(body)
        print(f"   ceiling body: {len(body):,} bytes (the size of {page})")
        first_requests(args.port, [*uncached, *firsts], "after the start")
        filtered = filter_pages(args.port, page, picks)
        if not args.first_requests_only:
            table("Uncached responses (API_CACHE_RESPONSES=0)", measure(args.port, uncached, args))
            table("Filters, uncached (API_CACHE_RESPONSES=0)", measure(args.port, filtered, args))
        write_one_clause(args.database_url)
        first_requests(args.port, firsts, "after a write")
        search_loop(args.port)
        if not args.skip_export:
            print("\nExport (every clause, streamed)\n")
            print("| format | clauses | MB | seconds | clauses/s | peak worker RSS MB |")
            print("| --- | ---: | ---: | ---: | ---: | ---: |")
            for fmt in ("jsonl", "csv"):
                lines, size, elapsed, rss = export(server, fmt)
                lines -= fmt == "csv"  # the header row
                print(f"| {fmt} | {lines:,} | {size / 1e6:,.0f} | {elapsed:.1f} | {lines / elapsed:,.0f} | {rss:.0f} |",
                      flush=True)  # fmt: skip
    finally:
        server.stop()

    server = Server(args, ceiling_file, cache_responses=True)
    try:
        _, headers, _ = get(args.port, page)
        etag = headers["ETag"]
        repeated = [
            ("clauses, page 1, cached", page),
            ("clauses, page 1, If-None-Match (304)", page, [f"If-None-Match: {etag}"]),
        ]
        table("Repeated requests (production settings: response cache on)", measure(args.port, repeated, args))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
