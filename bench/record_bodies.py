"""A pytest plugin that records every Markdown body the test suite reads, for ``bench/readings.py --inputs``.

    RECORD_BODIES=/tmp/bodies .venv/bin/python -m pytest -n 2 -p bench.record_bodies
    cat /tmp/bodies-*.jsonl | sort -u > /tmp/bodies.jsonl

Each process appends ``{"lines": [...], "first_line": N, "title": "..."}`` (``read_body``'s arguments) to
``$RECORD_BODIES-<pid>.jsonl``: the bodies the tests give the importer, written inline in the tests as well as read
from files, so that two versions of the reader can be compared on all of them.
"""

import json
import os


def pytest_sessionstart(session):
    """Wrap ``read_body`` (Django is set up by now: the importer's modules can be imported)."""
    from statements.importing import markdown

    path = f"{os.environ['RECORD_BODIES']}-{os.getpid()}.jsonl"
    read_body = markdown.read_body

    def recorded(lines, first_line=1, title=""):
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"lines": list(lines), "first_line": first_line, "title": title}) + "\n")
        return read_body(lines, first_line, title)

    markdown.read_body = recorded
