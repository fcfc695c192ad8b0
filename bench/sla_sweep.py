"""Benchmark: the SLA sweep over N open cases whose next ladder step is due.

Usage (PostgreSQL and Redis on 127.0.0.1 by default):
    .venv/bin/python bench/sla_sweep.py [--cases 10000] [--batch 1000] [--workers 2]

It uses its own database (``rabfang_bench_hot_sweep``, re-created each run), seeds the demo office, bulk-loads
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
BENCH_DB = "rabfang_bench_hot_sweep"


def prepare_database(server_url: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def load_cases(count: int) -> None:
    """N assigned complaints on a 24x7 policy, started 50 minutes ago: each one's 75% warning is due.

    Loaded in chunks of 5,000 with their clocks and SLA columns computed in memory the way intake
    computes them, so the load takes seconds and its memory does not grow with N.
    """
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from core.config_cache import calendars
    from core.models import Case, Category, ClockKind, SlaClock, SlaPolicy, Unit
    from core.sla import policy_budget
    from core.tracking import tracking_number_new
    from workflows.sla import sla_compute

    policy = SlaPolicy.objects.create(name="bench", kind="complaint", calendar="24x7", acknowledge_value=60,
                                      acknowledge_unit="minutes", resolve_value=600, resolve_unit="minutes")
    officer = get_user_model().objects.get(username="officer1")
    unit = Unit.objects.get(code="personnel")
    category = Category.objects.get(kind="complaint", code="teacher-conduct")
    cals = calendars()
    started = timezone.now() - timedelta(minutes=50)  # 83% of the acknowledge budget: the 75% step is due
    for offset in range(0, count, 5000):
        size = min(5000, count - offset)
        cases, clocks = [], []
        for n in range(size):
            tracking = tracking_number_new("complaint")
            case = Case(tracking_number=tracking, kind="complaint", status="assigned", channel="web",
                        category=category, unit=unit, assignee=officer, title=f"bench {offset + n}",
                        description="bench", search_document=f"{tracking}\nbench {offset + n}\nbench",
                        submitted_at=started, updated_at=started)
            case_clocks = [SlaClock(case=case, kind=kind, policy=policy, calendar="24x7",
                                    budget_seconds=policy_budget(policy, kind), ladder=policy.ladder,
                                    started_at=started)
                           for kind in (ClockKind.ACKNOWLEDGE, ClockKind.RESOLVE)]
            sla_compute(case, case_clocks, {}, cals)
            cases.append(case)
            clocks += case_clocks
        Case.objects.bulk_create(cases)
        SlaClock.objects.bulk_create(clocks)


def backend_cpu_seconds(pid: int) -> float | None:
    """CPU time used so far by one PostgreSQL backend process (same machine only)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def peak_rss_reset() -> None:
    """Start a new high-water mark of this process's resident memory (Linux: clear_refs 5)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_rss_mib() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def drain(batch: int) -> dict:
    """Sweep until nothing is due; what it cost this process and its database backend."""
    import gc

    from django.db import connection
    from django.utils import timezone

    from workflows.sla_sweep import sla_apply_due_steps

    gc.collect()
    peak_rss_reset()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    db_cpu_start, app_cpu_start = backend_cpu_seconds(backend), time.process_time()
    batches = 0
    while sla_apply_due_steps(now=timezone.now(), limit=batch):
        batches += 1
    db_cpu_end = backend_cpu_seconds(backend)
    return {"batches": batches, "app_cpu": time.process_time() - app_cpu_start,
            "db_cpu": db_cpu_end - db_cpu_start if db_cpu_start is not None and db_cpu_end is not None else None,
            "peak_rss_mib": peak_rss_mib()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2,
                        help="sweep processes draining at once (SKIP LOCKED splits the batches between them)")
    parser.add_argument("--profile", metavar="PATH", help="write a pyinstrument text profile of the sweep here")
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
    load_seconds = time.perf_counter() - loading
    # A table of open cases in service has long been vacuumed and analyzed; a freshly loaded one has not.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE core_case, core_slaclock, core_caseevent, core_notification")
    print(f"loaded {options.cases} due cases in {load_seconds:.1f}s")

    profiler = None
    if options.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
    start = time.perf_counter()
    if options.workers == 1:
        drained = [drain(options.batch)]
    else:
        import multiprocessing

        connection.close()  # each worker process opens its own
        with multiprocessing.get_context("fork").Pool(options.workers) as pool:
            drained = pool.map(drain, [options.batch] * options.workers)
    wall = time.perf_counter() - start
    if profiler is not None:
        profiler.stop()
        Path(options.profile).write_text(profiler.output_text(unicode=True, show_all=False))
    batches = sum(part["batches"] for part in drained)
    app_cpu = sum(part["app_cpu"] for part in drained)
    db_cpu = sum(part["db_cpu"] for part in drained) if all(part["db_cpu"] is not None for part in drained) else None
    # The first idle tick walks the index entries of the rows the drain just rewrote (dead until
    # vacuum) and marks them; the ticks after it skip them.
    idle_ticks = []
    for _ in range(6):
        idle_start = time.perf_counter()
        assert sla_apply_due_steps(now=timezone.now(), limit=options.batch) == 0
        idle_ticks.append((time.perf_counter() - idle_start) * 1000)
    idle_ms = idle_ticks[0]
    sweep_rss = max(part["peak_rss_mib"] or 0 for part in drained)

    steps = CaseEvent.objects.filter(type="sla_step").count()
    assert steps == options.cases, (steps, options.cases)
    result = {
        "scenario": "sla_sweep",
        "cases_due": options.cases,
        "steps_applied": steps,
        "notifications_written": Notification.objects.count(),
        "batch": options.batch,
        "workers": options.workers,
        "batches": batches,
        "wall_seconds": round(wall, 2),
        "steps_per_second": round(steps / wall, 1),
        "idle_tick_ms": round(idle_ms, 2),
        "idle_tick_later_median_ms": round(sorted(idle_ticks[1:])[2], 2),
        "app_cpu_us_per_step": round(app_cpu / steps * 1e6, 1),
        "db_cpu_us_per_step": round(db_cpu / steps * 1e6, 1) if db_cpu is not None else None,
        "sweep_peak_rss_mib": sweep_rss,
        "load_seconds": round(load_seconds, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "at": timezone.now().isoformat(),
    }
    out = ROOT / "bench" / "results" / "sla_sweep.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
