"""The query plans of the filters' SQL on the benchmark's database: what the planner does with each filter row.

    .venv/bin/python bench/explain.py [--database-url URL] > docs/filter-plans.md

(or ``make bench-explain``). For each filter row of ``make bench`` (bench/run.py: the same topics, party, kind and
dates, picked from the database) it prints EXPLAIN (ANALYZE, BUFFERS) of the document map's query
(ClauseSelection.document_counts_sql: what the first request after a start or a write runs) and of the deep page's
query (rows.reading_order_page, captured as the API runs it), each run once before so that the plan shown is a warm
one; then those of a search for the medium word with the parent topic, and with the party (search_ranking's count and
ranking of every match). The database must hold the benchmark's corpus (``make bench`` fills it).
"""

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: bench/ is on the path, the project is not

from bench.run import PICK_FILTERS, SEARCHES, django_environment, filter_queries  # noqa: E402 -- needs the path above

PAGE = "/api/v1/clauses/?page_size=50"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/statements_bench")
    return parser.parse_args()


def explain(sql, params, generic=False):
    """The plan of ``sql`` as run (after a first run, so it is a warm one). ``generic``: the plan of a statement
    prepared once its connection has run it DATABASE_PREPARE_THRESHOLD times (rows.fixed_sql_cursor: parameters
    bound on the server, a generic plan once PostgreSQL finds it no worse), forced."""
    import psycopg
    from django.db import connection

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:  # parameters bound on the server, as the fast paths do
        cursor.execute(f"SET plan_cache_mode = {'force_generic_plan' if generic else 'auto'}")
        cursor.execute(sql, params)
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main():
    args = parse_args()
    ceiling_file = Path(tempfile.gettempdir()) / "statements-explain-ceiling.json"
    os.environ.update(django_environment(args.database_url, ceiling_file, False, allowed_hosts="testserver"))
    import django

    django.setup()
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client

    from statements.api.v1.filters import ClauseListFilterSet
    from statements.models import Clause

    picked = io.StringIO()
    with contextlib.redirect_stdout(picked):
        exec(PICK_FILTERS, {})
    picks = json.loads(picked.getvalue().strip().splitlines()[-1])
    client = Client()
    print(f"# The filters' query plans ({Clause.objects.count():,} clauses; `make bench-explain`)\n")
    for name, query in filter_queries(picks):
        filterset = ClauseListFilterSet(QueryDict(query), queryset=Clause.objects.all())
        assert filterset.is_valid(), filterset.errors
        selection = filterset.selection()
        sql, params = selection.document_counts_sql("default")
        print(f"## {name}\n\nThe document map (`ClauseSelection.document_counts_sql`):\n")
        print(f"```\n{explain(sql, params)}\n```\n")
        count = client.get(f"{PAGE}&{query}").json()["count"]
        deep = max(1, count * 9 // 10 // 50)
        captured = []

        def capture(execute, sql, params, many, context, captured=captured):
            captured.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            assert client.get(f"{PAGE}&{query}&page={deep}").status_code == 200
        page_sql, page_params = next((sql, params) for sql, params in captured if "slice_0" in sql)
        print(f"Page {deep:,} of {count:,} clauses (`rows.reading_order_page`; its generic plan, as prepared):\n\n"
              f"```\n{explain(page_sql, page_params, generic=True)}\n```\n")  # fmt: skip
    for name, filters in (("topic", {"topics": (picks["parent"],)}), ("party", {"parties": (picks["party"],)})):
        explain_search(SEARCHES["medium"], name, filters)


def explain_search(q, name, filters):
    """The plans of a filtered search's count and of its ranking over every match (search_ranking's SQL)."""
    from django.conf import settings

    from statements import search_ranking
    from statements.selection import ClauseSelection

    selection = ClauseSelection(**filters).with_link_ids("default")  # as the API's filter sets give it
    where, params = search_ranking.filter_sql(selection, "default", through_index=True)
    value = next(iter(filters.values()))[0]
    print(f"## search `{q}` & {name}={value}\n\nThe count (`search_ranking.match_count`):\n")
    sql = search_ranking.PG_COUNT_SQL.format(filters=where)
    print(f"```\n{explain(sql, [search_ranking.SEARCH_CONFIG, q, *params, settings.SEARCH_CANDIDATES])}\n```\n")
    print("The first 20 of every match ranked (`search_ranking.PG_WINDOW_SQL`: a search with fewer matches than "
          "SEARCH_CANDIDATES runs it, else the tiers first):\n")  # fmt: skip
    sql = search_ranking.PG_WINDOW_SQL.format(filters=where)
    print(f"```\n{explain(sql, [search_ranking.SEARCH_CONFIG, q, *params, 20])}\n```\n")


if __name__ == "__main__":
    main()
