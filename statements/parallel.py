"""Pure work spread over the machine's cores: ``worker_map`` runs a function over many items in forked worker
processes (one per core), or in this process when that would not pay or is not safe.

The workers are forked, so they start with what this process loaded (rules, compiled indexes, the party
vocabulary: load them before entering) and share it copy-on-write. They must not touch the database: this
process's connections are closed before the fork (a child closing an inherited connection would end the
parent's session), and no transaction may be open (a fork inside one would leave the workers' copies of it).
"""

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from django.db import connection, connections

PARALLEL_FROM = 40  # items: fewer are done quicker in this process than by starting workers


@contextmanager
def worker_map(count, *, chunksize=8):
    """A ``map(function, items)`` for ``count`` items: over one forked worker per core when there are at least
    ``PARALLEL_FROM`` items, more than one core and no open transaction; else the built-in ``map``. The results
    come in the items' order. Over workers, the map hands every item out before it returns (the results are
    collected as they are iterated), and the workers are all forked at the first item, never later
    (``ProcessPoolExecutor`` forks them together, as forking a parent that runs threads is unsafe): once it has
    returned, this process may use the database again while they work."""
    pool = None
    if count >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 and not connection.in_atomic_block:
        connections.close_all()  # a forked worker must not share this process's database connections
        pool = ProcessPoolExecutor(os.cpu_count(), mp_context=multiprocessing.get_context("fork"))
    try:
        if pool is None:
            yield map
        else:
            yield lambda function, items: pool.map(function, items, chunksize=chunksize)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
