"""The peer benchmark: the project against Datasette on the same SQLite file, pair by pair, in alternating rounds.

    .venv/bin/python bench/peer.py [--clauses 200000] [--port 8141] [--peer-port 8142] [--duration 6] [--only TEXT ...]

(or ``make bench-peer``, which installs Datasette from bench/requirements-peer.txt into bench/.venv-peer). It fills
bench/.peer/statements.sqlite3 with ``generate_corpus`` if it holds fewer clauses than asked, copies it for Datasette
and builds an FTS5 index on the copy (bm25 ranking, snippets), then serves the original with one gunicorn sync worker
(the project, DJANGO_DEBUG=0, API_CACHE_RESPONSES=0) and the copy with one Datasette process (immutable, so it never
checks the file for changes). For each pair it runs wrk on the project, then on Datasette, ROUNDS times, and prints
the median of the rounds' project/Datasette ratios of req/s (> 1: the project is faster); the CSV export pair times
whole downloads instead. Datasette answers canned queries (bench/.peer/metadata.json, written here) that return the
fields the project's clauses carry; what each side returns is printed beside each row. Nothing passes or fails; a pair
Datasette cannot answer (its deep pages outrun its SQL time limit on a loaded host) is printed with its error and
skipped. ``--only`` keeps the pairs whose name contains a text ("CSV export" for the export).
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: bench/ is on the path, the project is not

from bench.run import django_environment, get, wrk  # noqa: E402 -- needs the path above

VENV_BIN = Path(sys.executable).parent
PEER_BIN = ROOT / "bench" / ".venv-peer" / "bin"
FOLDER = ROOT / "bench" / ".peer"
PROJECT_FILE = FOLDER / "statements.sqlite3"
PEER_FILE = FOLDER / "peer.sqlite3"  # Datasette's database is named after the file: "peer"
ROUNDS = 3
TIMEOUT = 30  # seconds wrk waits for a response: Datasette's deep pages sort the whole table
PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20
SEARCHES = {"rare": "Hohhot", "medium": "uncertainty", "common": "cooperation"}

# A clause with what the project's clause carries: citation, document (slug, title, date, kind), section (eid,
# heading), position, eid, label, text, topics and parties (JSON arrays of {slug, name} and {code, short_name}).
CLAUSE_SELECT = """
SELECT d.slug || '/' || c.eid AS citation, d.slug AS document, d.title AS document_title, d.date, d.kind,
       s.eid AS section, s.heading AS section_heading, c.position, c.eid, c.label, c.text,
       (SELECT json_group_array(json_object('slug', t.slug, 'name', t.name)) FROM statements_clausetopic ct
        JOIN statements_topic t ON t.id = ct.topic_id WHERE ct.clause_id = c.id) AS topics,
       (SELECT json_group_array(json_object('code', p.code, 'short_name', p.short_name)) FROM statements_clauseparty cp
        JOIN statements_party p ON p.id = cp.party_id WHERE cp.clause_id = c.id) AS parties"""
CLAUSE_FROM = """
FROM statements_clause c JOIN statements_document d ON d.id = c.document_id
JOIN statements_section s ON s.id = c.section_id"""
READING_ORDER = "ORDER BY d.date, d.slug, c.position"
CANNED_QUERIES = {
    "page": f"{CLAUSE_SELECT} {CLAUSE_FROM} {READING_ORDER} LIMIT {PAGE_SIZE} OFFSET CAST(:offset AS INTEGER)",
    "document": f"{CLAUSE_SELECT} {CLAUSE_FROM} WHERE d.slug = :document ORDER BY c.position LIMIT {PAGE_SIZE}",
    "topic": f"""{CLAUSE_SELECT} {CLAUSE_FROM}
WHERE EXISTS (SELECT 1 FROM statements_clausetopic ct JOIN statements_topic t ON t.id = ct.topic_id
              WHERE ct.clause_id = c.id AND (t.slug = :topic OR t.parent_id IN
                  (SELECT id FROM statements_topic WHERE slug = :topic)))
{READING_ORDER} LIMIT {PAGE_SIZE} OFFSET CAST(:offset AS INTEGER)""",
    "search": f"""{CLAUSE_SELECT}, bm25(clause_fts) AS rank,
       snippet(clause_fts, 0, '<mark>', '</mark>', '…', 16) AS snippet
FROM clause_fts JOIN statements_clause c ON c.id = clause_fts.rowid
JOIN statements_document d ON d.id = c.document_id JOIN statements_section s ON s.id = c.section_id
WHERE clause_fts MATCH :q ORDER BY rank LIMIT {SEARCH_PAGE_SIZE}""",
}
PROJECT_RETURNS = "count, next/previous links, clauses with citation, urls, document, section, topics, parties"
PEER_RETURNS = "rows with citation, document, section, topics, parties (no count, no links)"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clauses", type=int, default=200_000, help="Clauses the SQLite file must have.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8141")))
    parser.add_argument("--peer-port", type=int, default=int(os.environ.get("BENCH_PEER_PORT", "8142")))
    parser.add_argument("--duration", type=int, default=6, help="Seconds of load per side and round (default 6).")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (default 4).")
    parser.add_argument("--only", nargs="*", default=(), help="Only the pairs whose name contains one of these.")
    return parser.parse_args()


def prepare_files(args):
    """The project's SQLite file with ``--clauses`` clauses, and Datasette's copy of it with an FTS5 index."""
    FOLDER.mkdir(exist_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{PROJECT_FILE}", "DJANGO_SETTINGS_MODULE": "config.settings"}
    manage = [str(VENV_BIN / "python"), str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    with sqlite3.connect(PROJECT_FILE) as connection:
        count = connection.execute("SELECT count(*) FROM statements_clause").fetchone()[0]
    if count < args.clauses:
        print(f"== generating {args.clauses - count:,} clauses into {PROJECT_FILE}", flush=True)
        subprocess.run([*manage, "generate_corpus", "--clauses", str(args.clauses - count)], env=env, check=True,
                       cwd=ROOT)  # fmt: skip
    if not PEER_FILE.exists() or PEER_FILE.stat().st_mtime < PROJECT_FILE.stat().st_mtime:
        shutil.copyfile(PROJECT_FILE, PEER_FILE)
        with sqlite3.connect(PEER_FILE) as connection:
            connection.executescript(
                "CREATE VIRTUAL TABLE clause_fts USING fts5(text, content='statements_clause', content_rowid='id');"
                "INSERT INTO clause_fts(clause_fts) VALUES('rebuild');"
            )
    metadata = FOLDER / "metadata.json"
    metadata.write_text(json.dumps({"databases": {"peer": {"queries": CANNED_QUERIES}}}, indent=2))
    with sqlite3.connect(PROJECT_FILE) as connection:
        document = connection.execute(
            "SELECT d.slug FROM statements_document d JOIN statements_clause c ON c.document_id = d.id "
            "GROUP BY d.id ORDER BY abs(count(*) - 200), d.slug LIMIT 1"
        ).fetchone()[0]
        topic, topic_count = connection.execute(
            "SELECT p.slug, count(DISTINCT ct.clause_id) FROM statements_topic p JOIN statements_topic t "
            "ON t.id = p.id OR t.parent_id = p.id JOIN statements_clausetopic ct ON ct.topic_id = t.id "
            "WHERE p.parent_id IS NULL GROUP BY p.id ORDER BY 2 DESC, p.slug LIMIT 1"
        ).fetchone()
        total = connection.execute("SELECT count(*) FROM statements_clause").fetchone()[0]
    return metadata, document, topic, topic_count, total


def start(command, env, port, path):
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if get(port, path)[0] == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"{command[0]} did not start on port {port}")


def project_server(args):
    """The project as production serves it (gunicorn, DEBUG off), one sync worker, whole responses not cached."""
    env = {
        **django_environment(f"sqlite:///{PROJECT_FILE}", FOLDER / "ceiling.json", cache_responses=False),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "1",
        "GUNICORN_TIMEOUT": "300",
        "DJANGO_MIGRATE_ON_START": "0",
    }
    return start([str(ROOT / "bin" / "start")], env, args.port, "/api/v1/")


def peer_server(args, metadata):
    """Datasette, one process, the copy opened immutable, the canned queries of ``metadata``."""
    command = [
        str(PEER_BIN / "datasette"), "serve", "-i", str(PEER_FILE), "--port", str(args.peer_port),
        "--metadata", str(metadata), "--setting", "sql_time_limit_ms", "20000",
        "--setting", "max_returned_rows", "1000", "--setting", "num_sql_threads", "1",
    ]  # fmt: skip
    return start(command, os.environ.copy(), args.peer_port, "/peer.json")


def download(port, path):
    """Seconds to read the whole response of ``path``."""
    started = time.perf_counter()
    status, _, body = get(port, path)
    assert status == 200, (path, status, body[:300])
    return time.perf_counter() - started


def pairs(document, topic, topic_count, total):
    """(name, the project's path, Datasette's path) of each pair."""
    deep = total * 3 // 4 // PAGE_SIZE  # three quarters of the way through
    topic_page = max(1, topic_count * 3 // 4 // PAGE_SIZE)

    def canned(name, **params):
        return f"/peer/{name}.json?_shape=array&" + urllib.parse.urlencode(params)

    rows = [
        ("page 1", f"/api/v1/clauses/?page_size={PAGE_SIZE}", canned("page", offset=0)),
        (
            f"page {deep:,}",
            f"/api/v1/clauses/?page_size={PAGE_SIZE}&page={deep}",
            canned("page", offset=(deep - 1) * PAGE_SIZE),
        ),
        (
            f"document={document}",
            f"/api/v1/clauses/?page_size={PAGE_SIZE}&document={document}",
            canned("document", document=document),
        ),
        (
            f"topic={topic} ({topic_count:,}), page {topic_page:,}",
            f"/api/v1/clauses/?page_size={PAGE_SIZE}&topic={topic}&page={topic_page}",
            canned("topic", topic=topic, offset=(topic_page - 1) * PAGE_SIZE),
        ),
    ]
    rows += [
        (
            "page 1, against Datasette's table page (rowid order, the clause table's own columns)",
            f"/api/v1/clauses/?page_size={PAGE_SIZE}",
            f"/peer/statements_clause.json?_shape=array&_size={PAGE_SIZE}",
        ),
        (
            f"page {deep:,}, against Datasette's table page (keyset `_next`, the clause table's own columns)",
            f"/api/v1/clauses/?page_size={PAGE_SIZE}&page={deep}",
            f"/peer/statements_clause.json?_shape=array&_size={PAGE_SIZE}&_next={(deep - 1) * PAGE_SIZE}",
        ),
    ]
    for name, q in SEARCHES.items():
        rows.append((f"search {name}: {q}", "/api/v1/search/?" + urllib.parse.urlencode({"q": q}), canned("search",
                     q=q)))  # fmt: skip
    return rows


def main():
    args = parse_args()
    metadata, document, topic, topic_count, total = prepare_files(args)
    print(f"== {total:,} clauses in SQLite; the project: 1 gunicorn sync worker; Datasette 0.65 (immutable, FTS5 "
          f"on its copy): 1 process; wrk -c{args.connections}, {ROUNDS} rounds of {args.duration} s a side",
          flush=True)  # fmt: skip
    project = project_server(args)
    try:
        peer = peer_server(args, metadata)
        try:
            print(f"\nThe project returns: {PROJECT_RETURNS}. Datasette returns: {PEER_RETURNS}.\n")
            print("| pair | project req/s | project p50 ms | Datasette req/s | Datasette p50 ms | project/Datasette "
                  "(median) | the rounds |")  # fmt: skip
            print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
            for name, ours, theirs in pairs(document, topic, topic_count, total):
                if args.only and not any(text in name for text in args.only):
                    continue
                status, _, body = get(args.port, ours)
                assert status == 200, (ours, status, body[:300])
                status, _, body = get(args.peer_port, theirs)
                if status != 200:  # on a loaded host Datasette's deep pages outrun its SQL time limit: say so, go on
                    print(f"| {name} | | | Datasette answered {status} ({peer_error(body)}) | | | |", flush=True)
                    continue
                rounds = []
                for round_ in range(ROUNDS):
                    our_rate, our_p50, _ = wrk(args.port, ours, args, duration=args.duration, warm_up=round_ == 0,
                                               timeout=TIMEOUT)  # fmt: skip
                    their_rate, their_p50, _ = wrk(args.peer_port, theirs, args, duration=args.duration,
                                                   warm_up=round_ == 0, timeout=TIMEOUT)  # fmt: skip
                    # A side that finished no request in the run counts as one request in it (a ratio, not infinity).
                    their_rate = max(their_rate, 1 / args.duration)
                    rounds.append((our_rate / their_rate, our_rate, our_p50, their_rate, their_p50))
                ratio, our_rate, our_p50, their_rate, their_p50 = sorted(rounds)[len(rounds) // 2]
                shown = " / ".join(f"{r[0]:.2f}" for r in sorted(rounds))
                print(f"| {name} | {our_rate:,.0f} | {our_p50:.1f} | {their_rate:,.1f} | {their_p50:.1f} | {ratio:.2f} "
                      f"| {shown} |", flush=True)  # fmt: skip
            if not args.only or any(text in "CSV export" for text in args.only):
                export_pair(args, total)
        finally:
            peer.terminate()
            peer.wait(timeout=30)
    finally:
        project.terminate()
        project.wait(timeout=30)


def peer_error(body):
    """Datasette's error message in a JSON error body, shortened (its HTML tags dropped)."""
    try:
        message = json.loads(body).get("error") or ""
    except ValueError:
        message = body[:200].decode(errors="replace")
    return " ".join(re.sub(r"<[^>]+>", " ", message).split())[:120]


def export_pair(args, total):
    """CSV of every clause: the project's export (document, section, topics and parties named) against Datasette's
    streamed table CSV (the clause table's own columns: ids, no names), one download each a round: clauses/s."""
    rounds = []
    for _ in range(ROUNDS):
        ours = total / download(args.port, "/api/v1/clauses/export/?format=csv")
        theirs = total / download(args.peer_port, "/peer/statements_clause.csv?_stream=on&_size=max")
        rounds.append((ours / theirs, ours, theirs))
    ratio, ours, theirs = sorted(rounds)[len(rounds) // 2]
    shown = " / ".join(f"{r[0]:.2f}" for r in sorted(rounds))
    print(f"| CSV export, every clause (clauses/s) | {ours:,.0f} | | {theirs:,.0f} | | {ratio:.2f} | {shown} |")
    print("\nCSV: the project's rows name the document, section, topics and parties; Datasette's stream the clause "
          "table's own columns (ids).")  # fmt: skip


if __name__ == "__main__":
    main()
