"""Benchmark: one SLA sweep tick over the seeded database (bench/seed_bulk.py) with nothing due.

Usage (DATABASE_URL pointing at the seeded database): .venv/bin/python bench/sweep_idle.py [--ticks 20]

The seeder leaves no ladder step due, but minutes pass between seeding and this run: any step that
fell due meanwhile is applied first by the real sweep (reported as ``drained``). Then the sweep entry
point, ``workflows.sla_sweep.sla_apply_due_steps``, is called ``--ticks`` times; each call is one
tick (its transaction, the due-rows query, the heartbeat). Prints one JSON line.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ticks", type=int, default=20)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from core.choices import FINAL_STATUSES
    from core.models import Case
    from workflows.sla_sweep import sla_apply_due_steps

    drained = 0
    while taken := sla_apply_due_steps(now=timezone.now()):
        drained += taken
    timings = []
    for _ in range(options.ticks):
        started = time.perf_counter()
        taken = sla_apply_due_steps(now=timezone.now())
        timings.append((time.perf_counter() - started) * 1000)
        assert taken == 0, f"{taken} cases were due in an idle tick"
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT id FROM core_case "
                       "WHERE sla_next_action_at <= now() ORDER BY sla_next_action_at LIMIT 500 FOR UPDATE SKIP LOCKED")
        plan = cursor.fetchone()[0][0]
    print(json.dumps({
        "scenario": "sweep_idle",
        "cases": Case.objects.count(),
        "open_cases": Case.objects.exclude(status__in=FINAL_STATUSES).count(),
        "with_next_action": Case.objects.filter(sla_next_action_at__isnull=False).count(),
        "drained": drained,
        "first_tick_ms": round(timings[0], 2),
        "median_tick_ms": round(statistics.median(timings), 2),
        "max_tick_ms": round(max(timings), 2),
        "due_query_ms": round(plan["Execution Time"], 3),
    }))


if __name__ == "__main__":
    main()
