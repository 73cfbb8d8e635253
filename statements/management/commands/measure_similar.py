"""manage.py measure_similar: latency of the text-reuse endpoint on the current database, as figures."""

import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from statements.models import Clause


class Command(BaseCommand):
    help = (
        "Time GET /api/v1/documents/<slug>/clauses/<eid>/similar/ for a random sample of clauses (the whole "
        "request through Django, without the network) and print the latency percentiles and the result counts. "
        "Prints figures; passes or fails nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--samples", type=int, default=200, help="How many clauses to time (default 200).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed for the sample (default 1).")
        parser.add_argument("--warmup", type=int, default=10, help="Untimed requests first (default 10).")

    def handle(self, *args, samples, seed, warmup, **options):
        last = Clause.objects.order_by("-pk").values_list("pk", flat=True).first()
        if last is None:
            raise CommandError("The database has no clauses.")
        rng = random.Random(seed)
        picked = set()
        while len(picked) < warmup + samples:
            picked.add(rng.randint(1, last))
        sample = list(Clause.objects.filter(pk__in=picked).values_list("document__slug", "eid"))
        rng.shuffle(sample)
        client = Client()
        timings, results = [], []
        for i, (slug, eid) in enumerate(sample):
            started = time.perf_counter()
            response = client.get(f"/api/v1/documents/{slug}/clauses/{eid}/similar/")
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise CommandError(f"{slug}/{eid}: HTTP {response.status_code}: {response.content[:200]!r}")
            if i >= warmup:
                timings.append(elapsed)
                results.append(len(response.json()["results"]))
        timings.sort()

        def percentile(p):
            return timings[min(len(timings) - 1, round(p / 100 * (len(timings) - 1)))]

        clauses = Clause.objects.count()
        self.stdout.write(f"{connection.vendor}, {clauses:,} clauses; {len(timings)} clauses timed ({warmup} warm-up)")
        self.stdout.write(
            "latency ms: "
            f"p50 {percentile(50):.1f}  p90 {percentile(90):.1f}  p95 {percentile(95):.1f}  p99 {percentile(99):.1f}  "
            f"max {timings[-1]:.1f}  mean {statistics.fmean(timings):.1f}"
        )
        self.stdout.write(
            f"results per clause: mean {statistics.fmean(results):.1f}, none for {results.count(0)} of {len(results)}"
        )
