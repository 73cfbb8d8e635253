# Everyday verbs. `make run` sets everything up and serves on http://127.0.0.1:8000/;
# `make test` runs the test suite. Both create .venv and install the pinned requirements first.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: corpus-manifest bench-import bench-search bench-tagging setup run migrate load test test-postgres lint format browser-deps node-deps system-deps smoke-test compose-check bench bench-peer bench-explain bench-instructions clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

migrate: setup
	$(PY) manage.py migrate --noinput

load: migrate
	$(PY) manage.py load_corpus  # settings.CORPUS_FIXTURES (one transaction), then settings.CORPUS_SOURCES

# The seed and the shipped statements, into an empty database only (a second start imports nothing).
run: migrate
	$(PY) manage.py seed_corpus
	$(PY) manage.py ensure_superuser
	$(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs in TEST_WORKERS processes (pytest-xdist; auto: one per CPU), each on its own test database;
# TEST_WORKERS=0 runs it in this one process. The default --dist load hands out tests by index: the scope-based
# modes key tests by node id, and schemathesis gives each operation's test the same one (all but one would be lost).
TEST_WORKERS ?= auto
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS)

test: setup node-deps
	$(PYTEST)

# The same suite against the local PostgreSQL (the scratch database is created if missing).
test-postgres: setup node-deps
	createdb -h 127.0.0.1 -U postgres statements_ci 2>/dev/null || true
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/statements_ci $(PYTEST) --create-db

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Headless Chromium for the browser tests, from Debian's packages (never `playwright install`).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# Every Debian package CI needs: Chromium (browser tests), docker-compose (validates docker-compose.yml) and
# wrk (the HTTP load generator of `make bench`).
SYSTEM_PACKAGES := chromium docker-compose wrk
system-deps:
	@missing=""; for cmd in $(SYSTEM_PACKAGES); do command -v $$cmd >/dev/null 2>&1 || missing="$$missing $$cmd"; done; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

# Production smoke test: bin/start (gunicorn, DEBUG off) against the local PostgreSQL, then stopped by its pid.
SMOKE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/statements_smoke
# Run twice: a first start on an empty database (migrate, seed the corpus), then a restart on the same
# data with the scale-out settings (the same database standing in for a replica, the local Redis as cache).
smoke-test: setup
	dropdb -h 127.0.0.1 -U postgres --if-exists $(notdir $(SMOKE_DATABASE_URL))
	createdb -h 127.0.0.1 -U postgres $(notdir $(SMOKE_DATABASE_URL))
	DATABASE_URL=$(SMOKE_DATABASE_URL) bin/smoke-test
	DATABASE_URL=$(SMOKE_DATABASE_URL) DATABASE_REPLICA_URL=$(SMOKE_DATABASE_URL) REDIS_URL=redis://127.0.0.1:6379/0 \
		bin/smoke-test

# docker-compose.yml must validate (no Docker engine needed); the secret is only a placeholder for interpolation.
compose-check: system-deps
	DJANGO_SECRET_KEY=placeholder-for-config-check docker-compose config -q

# Load + outage test (over 60 s, not in CI): a throwaway PostgreSQL cluster on port 25432 (outside Linux's ephemeral
# range, 32768-60999, where a client's port could already hold it), bin/start on 8021,
# 64 connections for 60 s, PostgreSQL stopped for 10 s in the middle; prints p50/p99 and a timeline.
.PHONY: load-test
load-test: setup
	bin/load-outage-test

# Hostile load (60 s, not in CI): 20 exporters and 8 slow readers against bin/start on 100,000 clauses while a probe
# polls /healthz and /api/v1/; prints the probe's p50/p99 and every status. Fills HOSTILE_DATABASE_URL if needed.
HOSTILE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/statements_hostile_load
.PHONY: hostile-load-test
hostile-load-test: setup
	createdb -h 127.0.0.1 -U postgres $(notdir $(HOSTILE_DATABASE_URL)) 2>/dev/null || true
	HOSTILE_DATABASE_URL=$(HOSTILE_DATABASE_URL) bin/hostile-load-test

# The benchmark (bench/run.py): a million synthetic clauses in a scratch PostgreSQL database, the server as
# production runs it, wrk against each endpoint and the ceiling view. Prints the README's Performance tables.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/statements_bench
BENCH_CLAUSES ?= 1000000
bench: setup system-deps
	createdb -h 127.0.0.1 -U postgres $(notdir $(BENCH_DATABASE_URL)) 2>/dev/null || true
	$(PY) bench/run.py --database-url $(BENCH_DATABASE_URL) --clauses $(BENCH_CLAUSES)

# The peer benchmark (bench/peer.py): the project (one gunicorn worker) against Datasette (one process, pinned in
# bench/requirements-peer.txt, installed into its own bench/.venv-peer) on copies of one SQLite file of 200,000 clauses
# (bench/.peer/, made by generate_corpus), pair by pair in alternating rounds; prints project/Datasette ratios.
PEER_VENV := bench/.venv-peer
bench-peer: setup system-deps $(PEER_VENV)/.installed
	$(PY) bench/peer.py

$(PEER_VENV)/.installed: bench/requirements-peer.txt
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet -r bench/requirements-peer.txt
	touch $@

# The query plans of the filters' SQL (EXPLAIN (ANALYZE, BUFFERS)) on the benchmark's database: the document map and
# a deep page of each filter row of `make bench`. Needs the corpus `make bench` loads.
bench-explain: setup
	$(PY) bench/explain.py --database-url $(BENCH_DATABASE_URL)

# Instructions per request (callgrind, Debian's valgrind): the benchmark's CPU figures without the host's noise.
# Needs the corpus `make bench` loads into statements_bench.
bench-instructions: setup
	@command -v valgrind >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind)
	$(PY) bench/instructions.py --database-url $(BENCH_DATABASE_URL)

# Node packages the browser tests use (axe-core, for the accessibility check), exactly as package-lock.json pins them.
node-deps: node_modules/.package-lock.json

# Without npm the accessibility checks are skipped locally (and fail in CI, where npm is on the machine).
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm not found: the accessibility checks will be skipped"; fi

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles artifacts .pytest_cache .ruff_cache node_modules

# The manifest of what the shipped sources import to (fixtures/whitehouse-manifest.tsv), made from a fresh
# import into a scratch database; CI imports the sources and fails while the result differs from it.
CORPUS_MANIFEST ?= fixtures/whitehouse-manifest.tsv
corpus-manifest: setup
	rm -f .corpus-manifest.sqlite3
	DATABASE_URL=sqlite:///.corpus-manifest.sqlite3 $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///.corpus-manifest.sqlite3 $(PY) manage.py seed_corpus
	DATABASE_URL=sqlite:///.corpus-manifest.sqlite3 $(PY) manage.py corpus_manifest --write $(CORPUS_MANIFEST)
	rm -f .corpus-manifest.sqlite3

# Bulk import speed (bench/import_corpus.py): the shipped corpus into scratch SQLite and PostgreSQL databases,
# with tagging, then again (every file unchanged). Prints clauses/s; nothing passes or fails.
# BENCH_IMPORT_ARGS="--profile 25" adds a profiled round per database (its top functions).
BENCH_IMPORT_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/statements_importer_bench
BENCH_IMPORT_ARGS ?=
bench-import: setup
	$(PY) bench/import_corpus.py --postgres-url $(BENCH_IMPORT_DATABASE_URL) $(BENCH_IMPORT_ARGS)

# Search latency (bench/search.py): rare, medium and very common words and a phrase, alone and with a topic or party
# filter, through bin/start; prints first/p50/p95/max, the top 5 of "cooperation" and the plans of its queries.
# SQLite at 200,000 clauses by default; PostgreSQL with BENCH_SEARCH_DATABASE_URL=postgres://... BENCH_SEARCH_CLAUSES=1000000.
BENCH_SEARCH_DATABASE_URL ?= sqlite:///$(CURDIR)/bench-search.sqlite3
BENCH_SEARCH_CLAUSES ?= 200000
bench-search: setup
	@case "$(BENCH_SEARCH_DATABASE_URL)" in postgres*) createdb -h 127.0.0.1 -U postgres $(notdir $(BENCH_SEARCH_DATABASE_URL)) 2>/dev/null || true;; esac
	$(PY) bench/search.py --database-url $(BENCH_SEARCH_DATABASE_URL) --clauses $(BENCH_SEARCH_CLAUSES) --explain

# Re-tagging speed (bench/retag.py): `manage.py retag` over the seeded corpus (seed + 695 statements) on scratch
# SQLite and PostgreSQL databases. Prints clauses/s (wall and per CPU second); nothing passes or fails.
BENCH_TAGGING_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/statements_topics_bench
bench-tagging: setup
	$(PY) bench/retag.py --postgres-url $(BENCH_TAGGING_DATABASE_URL)
