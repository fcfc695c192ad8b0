"""The benchmark suite (`make bench`): HTTP intake and lookup under wrk, PostgreSQL's own ceiling, the
1,000,000-case scenarios (bench/scale.py) and the SLA sweep (bench/sla_sweep.py, run through its CLI).

Same shapes as the reference peer: gunicorn with 2 sync workers, 8 concurrent connections, wrk with a
request-count limit, PostgreSQL with fsync on. Every intake response must be 201 and every other answer
200; a run with any other status fails. Results go to bench/results/latest.json and latest.md.

Usage: .venv/bin/python bench/run.py [--requests 3000] [--scale-cases 1000000] [--sweep-cases 100000]
       [--only http,scale,sweep]
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LUA = ROOT / "bench" / "lua"
RESULTS = ROOT / "bench" / "results"
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "rabfang_bench_http"
PORT = int(os.environ.get("BENCH_PORT", "8791"))
CONNECTIONS, THREADS = 8, 2


def sh(*args, **kwargs) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs).stdout


def environment() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": SERVER.rsplit("/", 1)[0] + f"/{BENCH_DB}",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
        "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/8"),
        # Load from one address would trip the per-address throttles within a second.
        "THROTTLE_PUBLIC_INTAKE": "1000000/min",
        "THROTTLE_PUBLIC_LOOKUP": "1000000/min",
        "LOG_LEVEL": "WARNING",
        "RABFANG_VAR_DIR": str(Path(tempfile.gettempdir()) / "rabfang-bench"),
    }


def prepare_database(env: dict) -> None:
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    sh(str(BIN / "python"), "manage.py", "migrate", "-v0", "--run-syncdb", cwd=ROOT, env=env)
    sh(str(BIN / "python"), "manage.py", "seed_demo", cwd=ROOT, env=env)
    import redis

    for url in (env["REDIS_URL"], env["CELERY_BROKER_URL"]):
        redis.Redis.from_url(url).flushdb()


def cpu_seconds(pattern: str) -> float:
    """User + system CPU of every process whose command line matches ``pattern`` (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in sh("pgrep", "-f", pattern).split() if subprocess.run(["pgrep", "-f", pattern],
                                                                  capture_output=True).returncode == 0 else []:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / ticks
        except (FileNotFoundError, IndexError, ValueError):
            continue
    return total


def wrk(script: str, seconds: float, expect: int, env: dict, extra_env: dict | None = None) -> dict:
    run_env = {**env, "BENCH_LUA_DIR": str(LUA), "BENCH_EXPECT_STATUS": str(expect), **(extra_env or {})}
    out = sh("wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{max(1, round(seconds))}s",
             "--timeout", "10s", "-s", str(LUA / script), f"http://127.0.0.1:{PORT}", env=run_env)
    line = next(line for line in out.splitlines() if line.startswith("{"))
    return json.loads(line)


def measured(name: str, script: str, total: int, expect: int, env: dict, extra_env=None,
             max_seconds: float | None = None) -> dict:
    """wrk runs for a duration, not a count: a 2-second probe sizes the run to about ``total`` requests
    (or to ``max_seconds``, if that comes first)."""
    probe = wrk(script, 2, expect, env, extra_env)
    rate = max(probe["requests"] / (probe["duration_us"] / 1e6), 1.0)
    if max_seconds is not None:
        rate = max(rate, total / max_seconds)
    app_before, db_before = cpu_seconds("gunicorn config.wsgi"), cpu_seconds("postgres")
    result = wrk(script, total / rate, expect, env, extra_env)
    app_cpu = cpu_seconds("gunicorn config.wsgi") - app_before
    db_cpu = cpu_seconds("postgres") - db_before
    seconds = result["duration_us"] / 1e6
    row = {
        "scenario": name,
        "requests": result["requests"],
        "unexpected_status": result["unexpected"],
        "socket_errors": result["socket_errors"],
        "req_per_s": round(result["requests"] / seconds, 1),
        "p50_ms": round(result["p50_us"] / 1000, 2),
        "p99_ms": round(result["p99_us"] / 1000, 2),
        "app_cpu_ms_per_req": round(app_cpu * 1000 / result["requests"], 2),
        "db_cpu_ms_per_req": round(db_cpu * 1000 / result["requests"], 2),
    }
    if result["unexpected"] or result["socket_errors"]:
        raise SystemExit(f"{name}: {result['unexpected']} unexpected statuses, {result['socket_errors']} socket errors")
    return row


def raw_sql_ceiling(env: dict) -> dict:
    """pgbench: one case row and one event row per transaction, 4 clients, 10 s: the physical limit."""
    script = Path(tempfile.gettempdir()) / "rabfang-pgbench.sql"
    script.write_text(
        "BEGIN;\n"
        "INSERT INTO bench_case (tracking, title, created) VALUES (md5(random()::text), 'ครูไม่เข้าสอน', now())"
        " RETURNING id \\gset\n"
        "INSERT INTO bench_event (case_id, seq, data, hash) VALUES (:id, 1, '{\"channel\": \"web\"}',"
        " md5(random()::text));\n"
        "END;\n"
    )
    url = env["DATABASE_URL"]
    setup = ("DROP TABLE IF EXISTS bench_event, bench_case; "
             "CREATE TABLE bench_case (id bigserial PRIMARY KEY, tracking text UNIQUE, title text, created timestamptz);"
             "CREATE TABLE bench_event (id bigserial PRIMARY KEY, case_id bigint REFERENCES bench_case, seq int,"
             " data jsonb, hash text, UNIQUE (case_id, seq));")
    sh("psql", url, "-q", "-c", setup)
    out = sh("pgbench", "-n", "-M", "prepared", "-c", "4", "-j", "2", "-T", "10", "-f", str(script), url)
    tps = next(float(line.split("=")[1].split()[0]) for line in out.splitlines() if line.startswith("tps"))
    sh("psql", url, "-q", "-c", "DROP TABLE bench_event, bench_case;")
    return {"scenario": "raw_sql_ceiling", "tps": round(tps, 1)}


def wait_for_health(seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def http_public(requests: int) -> list[dict]:
    env = environment()
    prepare_database(env)
    web = subprocess.Popen([str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
                            "--worker-class", "sync"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_health()
        rows = []
        wrk("intake.lua", 2, 201, env)  # warm-up
        rows.append(measured("intake_http", "intake.lua", requests, 201, env))
        numbers = Path(tempfile.gettempdir()) / "rabfang-bench-tracking.txt"
        numbers.write_text(sh("psql", env["DATABASE_URL"], "-At", "-c", "SELECT tracking_number FROM core_case"))
        rows.append(measured("status_lookup_http", "lookup.lua", requests, 200, env,
                             {"BENCH_TRACKING_FILE": str(numbers)}))
    finally:
        os.killpg(web.pid, 15)
        web.wait(timeout=15)
    rows.append(raw_sql_ceiling(env))
    return rows


def sla_sweep(cases: int) -> dict:
    """bench/sla_sweep.py through its command line; its JSON result file is merged as it is."""
    sh(str(BIN / "python"), str(ROOT / "bench" / "sla_sweep.py"), "--cases", str(cases), cwd=ROOT)
    return json.loads((RESULTS / "sla_sweep.json").read_text())


def python_gauge(when: str) -> dict:
    """CPU milliseconds of a fixed pure-Python workload (arithmetic, JSON of Thai text): how fast this machine
    runs Python right now. It moves between runs and within one (a shared VM), and every app CPU number
    moves with it; compare runs by it, as `raw_sql_ceiling` gauges PostgreSQL."""
    start = time.process_time()
    total = 0
    for number in range(2_000_000):
        total += number % 7
    blob = json.dumps([{"n": number, "text": "ครูไม่เข้าสอน" * 4} for number in range(20_000)], ensure_ascii=False)
    for _ in range(10):
        json.loads(blob)
    return {"scenario": f"python_gauge_{when}", "cpu_ms": round((time.process_time() - start) * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--scale-cases", type=int, default=1_000_000)
    parser.add_argument("--sweep-cases", type=int, default=100_000)
    parser.add_argument("--only", default="http,scale,sweep", help="Comma-separated parts: http, scale, sweep.")
    parser.add_argument("--reuse-scale-db", action="store_true",
                        help="Use the seeded rabfang_bench_scale as it is (when iterating; not for results).")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk).")
    parts = set(options.only.split(","))
    started = time.perf_counter()
    rows = [python_gauge("start")]
    if "http" in parts:
        rows += http_public(options.requests)
    if "scale" in parts:
        import scale

        rows += scale.run_all(options.scale_cases, options.requests, reseed=not options.reuse_scale_db)
    if "sweep" in parts:
        rows.append(sla_sweep(options.sweep_cases))
    rows.append(python_gauge("end"))
    write_results(rows, wall_seconds=time.perf_counter() - started)


def _summary(row: dict) -> str:
    """The one-line result of scenarios that are not request rates."""
    name = row["scenario"]
    if name == "seed_bulk":
        return (f"{row['cases']:,} cases ({row['open']:,} open, {row['overdue']:,} overdue) seeded in "
                f"{row['total_s']} s")
    if name == "sweep_idle":
        return (f"one tick {row['median_tick_ms']} ms median, {row['max_tick_ms']} ms max, due query "
                f"{row['due_query_ms']} ms ({row['with_next_action']:,} cases with a next SLA action, "
                f"{row['drained']} drained first)")
    if name.startswith("route_latency"):
        return (f"{row['intakes']:,} intakes paced at {row['rate_per_s']:g}/s for {row['seconds']:g} s "
                f"(taken at {row['achieved_rate_per_s']:g}/s), {row['assigned']:,} assigned, "
                f"{row['not_assigned']:,} not yet 30 s after the last, max {row['max_ms']} ms")
    if name.startswith("python_gauge"):
        return f"a fixed pure-Python workload took {row['cpu_ms']} ms of CPU (lower: a faster machine right now)"
    if name == "memory":
        return (f"web worker {row['web_worker_max_rss_mib']} MiB, Celery worker "
                f"{row['celery_worker_max_rss_mib']} MiB (peak RSS)")
    if name == "statistics_fiscal_year":
        return (f"{row['cases_in_year']:,} cases in the year; read warm p99 {row['p99_ms']} ms; computed from the "
                f"cases in {row['compute_median_s']} s (beat, every ten minutes)")
    if name == "report_fiscal_year":
        return (f"{row['cases_in_year']:,} cases; PDF + XLSX + CSV made in {row['files_s']} s (PDF {row['pdf_s']} s, "
                f"XLSX {row['xlsx_s']} s); drafting, with its figures, {row['draft_s']} s")
    if name == "sla_sweep":
        return (f"{row.get('steps_applied', row.get('cases_due'))} steps in {row.get('wall_seconds')} s "
                f"({row.get('steps_per_second')} steps/s), idle tick {row.get('idle_tick_ms')} ms")
    return ""


def write_results(rows: list[dict], wall_seconds: float | None = None) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    document = {"machine": machine, "results": rows}
    if wall_seconds is not None:
        document["wall_seconds"] = round(wall_seconds, 1)
    (RESULTS / "latest.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    lines = ["| scenario | req/s (tps) | p50 ms | p99 ms | app CPU ms/req | PostgreSQL CPU ms/req | result |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['scenario']} | {row.get('req_per_s', row.get('tps', ''))} | {row.get('p50_ms', '')} | "
                     f"{row.get('p99_ms', '')} | {row.get('app_cpu_ms_per_req', '')} | "
                     f"{row.get('db_cpu_ms_per_req', '')} | {_summary(row)} |")
    if wall_seconds is not None:
        lines.append(f"\nWall time of the whole run: {wall_seconds / 60:.1f} min.")
    (RESULTS / "latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
