"""Benchmark: the SLA sweep over N open cases whose next ladder step is due.

Usage (PostgreSQL and Redis on 127.0.0.1 by default):
    .venv/bin/python bench/sla_sweep.py [--cases 10000] [--batch 500]

It uses its own database (``rabfang_bench``, re-created each run), seeds the demo office, bulk-loads
N assigned complaints whose acknowledge clock is past its 75% warning, then runs the sweep in
batches until nothing is due. Every step is applied the real way: the clock row, an audit event
in the hash chain and an outbox notification, atomically. Results: bench/results/sla_sweep.json.
"""

import argparse
import json
import os
import platform
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "rabfang_bench"


def prepare_database(server_url: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def load_cases(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from core.models import Case, Category, ClockKind, SlaClock, SlaPolicy, Unit
    from core.sla import calendars
    from core.tracking import tracking_number_new
    from workflows.sla import load_clocks, sla_refresh

    policy = SlaPolicy.objects.create(name="bench", kind="complaint", calendar="24x7", acknowledge_value=60,
                                      acknowledge_unit="minutes", resolve_value=600, resolve_unit="minutes")
    officer = get_user_model().objects.get(username="officer1")
    unit = Unit.objects.get(code="personnel")
    category = Category.objects.get(kind="complaint", code="teacher-conduct")
    started = timezone.now() - timedelta(minutes=50)  # 83% of the acknowledge budget: the 75% step is due
    for offset in range(0, count, 5000):
        size = min(5000, count - offset)
        cases = Case.objects.bulk_create([
            Case(tracking_number=tracking_number_new("complaint"), kind="complaint", channel="web", category=category,
                 unit=unit, assignee=officer, title=f"bench {offset + n}", description="bench",
                 submitted_at=started, updated_at=started)
            for n in range(size)
        ])
        Case.objects.filter(pk__in=[c.pk for c in cases]).update(status="assigned")
        clocks = []
        for case in cases:
            for kind, budget in ((ClockKind.ACKNOWLEDGE, 3600), (ClockKind.RESOLVE, 36000)):
                clocks.append(SlaClock(case=case, kind=kind, policy=policy, calendar="24x7", budget_seconds=budget,
                                       ladder=policy.ladder, started_at=started))
        SlaClock.objects.bulk_create(clocks)
    cals = calendars()
    for case in Case.objects.all().iterator(chunk_size=2000):
        clocks, pauses = load_clocks(case)
        sla_refresh(case, clocks, pauses, cals)
        case.save(update_fields=["sla_next_action_at", "sla_due_at", "sla_warn_at", "resolve_due_at"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    options = parser.parse_args()

    server = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432/postgres")
    prepare_database(server)
    os.environ["DATABASE_URL"] = server.rsplit("/", 1)[0] + f"/{BENCH_DB}"
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/4")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from core.models import CaseEvent, Notification
    from workflows.sla_sweep import sla_apply_due_steps

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    loading = time.perf_counter()
    load_cases(options.cases)
    print(f"loaded {options.cases} due cases in {time.perf_counter() - loading:.1f}s")

    start = time.perf_counter()
    batches = 0
    while sla_apply_due_steps(now=timezone.now(), limit=options.batch):
        batches += 1
    wall = time.perf_counter() - start
    idle_start = time.perf_counter()
    assert sla_apply_due_steps(now=timezone.now(), limit=options.batch) == 0
    idle_ms = (time.perf_counter() - idle_start) * 1000

    steps = CaseEvent.objects.filter(type="sla_step").count()
    assert steps == options.cases, (steps, options.cases)
    result = {
        "scenario": "sla_sweep",
        "cases_due": options.cases,
        "steps_applied": steps,
        "notifications_written": Notification.objects.count(),
        "batch": options.batch,
        "batches": batches,
        "wall_seconds": round(wall, 2),
        "steps_per_second": round(steps / wall, 1),
        "idle_tick_ms": round(idle_ms, 2),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "at": timezone.now().isoformat(),
    }
    out = ROOT / "bench" / "results" / "sla_sweep.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
