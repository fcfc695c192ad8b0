"""The 1,000,000-case scenarios of `make bench` (issue 6), run by bench/run.py on one seeded database.

- ``staff_detail_http``: GET /api/v1/cases/{tracking}/ over thousands of cases, as a unit head
  (supervisor1: two units) and an officer (officer1: one unit and their own cases), token auth.
- ``staff_queue_unit_http``, ``staff_queue_overdue_http``, ``staff_search_http``: the first page of
  ``queue=unit``, ``queue=overdue`` and of Thai ``q=`` searches (several words, common to rare), as the
  same two users.
- ``workspace_queue_unit_http``, ``workspace_case_http``: the same queue and case reads as pages of the staff
  workspace (/staff/?queue=unit, /staff/cases/{tracking}/), signed in with sessions; issue 13's bound is 1.25 x
  the API's p99 of the same run. ``workspace_dashboard_head_http`` / ``_office_http``: /staff/dashboard/ for a
  unit head and for the director (bounds 250 and 500 ms), after a refresh of the figures beat keeps.
- ``sweep_idle``: one tick of the SLA sweep (workflows.sla_sweep.sla_apply_due_steps) with nothing due.
- ``route_latency``: a steady 100 intakes/s for 60 s over HTTP, routed by a real Celery worker through
  the real on-commit dispatch; latency from each case's ``submit`` event to its ``assign`` event.
- memory: the peak RSS (VmHWM) of each gunicorn web worker after the HTTP runs, and of the Celery
  worker's processes after route_latency.

HTTP runs use gunicorn with 2 sync workers and wrk with 8 connections, like bench/run.py.
"""

import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import run  # bench/run.py: wrk, CPU accounting, environment

ROOT = run.ROOT
BIN = run.BIN
SCALE_DB = "rabfang_bench_scale"
# What staff type: a village or school name (0.04-0.2% of the cases), a phrase common in their own
# units' cases (4%), a rare phrase (0.2%, only in sealed reports they cannot see).
SEARCH_WORDS = ["หนองปลิง", "โรงเรียนวัดบางโพธิ์", "บ้านดอนม่วง", "ครูไม่เข้าสอน", "ล็อกสเปก"]
# Phrases common (2-2.5%) in other units' cases only: every match must be read to learn that none is visible.
SEARCH_WORDS_OTHER_UNITS = ["หลังคารั่ว", "เงินเดือนออกล่าช้า"]
STAFF_SECONDS = 20  # each staff HTTP scenario runs about this long (or --requests, if fewer)
USERS = ("supervisor1", "officer1")
PAGE_USERS = (*USERS, "director")


def scale_environment() -> dict:
    env = run.environment()
    env["DATABASE_URL"] = run.SERVER.rsplit("/", 1)[0] + f"/{SCALE_DB}"
    return env


def seed(cases: int) -> dict:
    out = run.sh(str(BIN / "python"), str(ROOT / "bench" / "seed_bulk.py"), "--cases", str(cases),
                 "--database", SCALE_DB, cwd=ROOT, env=scale_environment())
    return json.loads(out.strip().splitlines()[-1])


def _sql(env: dict, query: str) -> list[list[str]]:
    out = run.sh("psql", env["DATABASE_URL"], "-At", "-F", "\t", "-c", query)
    return [line.split("\t") for line in out.splitlines() if line]


def tokens(env: dict) -> dict[str, str]:
    """A fresh API token per bench user, written directly (the login endpoint is throttled)."""
    keys = {}
    for username in USERS:
        key = secrets.token_hex(20)
        _sql(env, f"DELETE FROM authtoken_token WHERE user_id = (SELECT id FROM auth_user WHERE username = '{username}');"
                  f"INSERT INTO authtoken_token (key, created, user_id) SELECT '{key}', now(), id FROM auth_user "
                  f"WHERE username = '{username}'")
        keys[username] = key
    return keys


def detail_paths(env: dict, keys: dict[str, str], per_user: int = 4000) -> Path:
    """Cases each user may see, picked at random over the whole table (all ages and statuses)."""
    visible = {
        "supervisor1": "unit_id IN (SELECT unit_id FROM core_membership m JOIN auth_user u ON u.id = m.user_id "
                       "WHERE u.username = 'supervisor1')",
        "officer1": "unit_id IN (SELECT unit_id FROM core_membership m JOIN auth_user u ON u.id = m.user_id "
                    "WHERE u.username = 'officer1')",
    }
    lines = []
    for username, condition in visible.items():
        rows = _sql(env, f"SELECT tracking_number FROM core_case TABLESAMPLE SYSTEM (5) WHERE {condition} AND NOT sealed "
                         f"ORDER BY random() LIMIT {per_user}")
        lines += [f"{keys[username]}\t/api/v1/cases/{row[0]}/" for row in rows]
    lines.sort(key=lambda _: secrets.randbits(32))
    path = Path(tempfile.gettempdir()) / "rabfang-bench-detail-paths.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def queue_paths(keys: dict[str, str], name: str) -> Path:
    if name in ("search", "search_other_units"):
        words = SEARCH_WORDS if name == "search" else SEARCH_WORDS_OTHER_UNITS
        queries = [f"q={urllib.parse.quote(word)}" for word in words]
    else:
        queries = [f"queue={name}"]
    lines = [f"{keys[user]}\t/api/v1/cases/?{query}" for user in USERS for query in queries]
    path = Path(tempfile.gettempdir()) / f"rabfang-bench-queue-{name}.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


SESSIONS_CODE = """
import time
from django.contrib.auth import get_user_model, HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from workspace.access import SEEN_AT, SIGNED_IN_AT
for name in {users!r}:
    user = get_user_model().objects.get(username=name)
    store = SessionStore()
    store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SIGNED_IN_AT] = store[SEEN_AT] = time.time()
    store.create()
    print("SESSION", name, store.session_key)
"""


def sessions(env: dict) -> dict[str, str]:
    """A signed-in workspace session per bench user, made directly (the sign-in page is throttled)."""
    out = run.sh(str(BIN / "python"), "manage.py", "shell", "-c", SESSIONS_CODE.format(users=PAGE_USERS), cwd=ROOT,
                 env=env)
    # (The shell may print its own lines first, such as the models it imported.)
    return dict(line.split()[1:] for line in out.splitlines() if line.startswith("SESSION "))


def page_paths(name: str, lines: list[tuple[str, str]]) -> Path:
    path = Path(tempfile.gettempdir()) / f"rabfang-bench-pages-{name}.txt"
    path.write_text("\n".join(f"{session}\t{page}" for session, page in lines) + "\n")
    return path


def workspace_scenarios(env: dict, requests: int, details: Path, tokens_by_user: dict[str, str]) -> list[dict]:
    keys = sessions(env)
    by_token = {token: user for user, token in tokens_by_user.items()}
    # The API detail scenario's cases, as pages, each read by the same user.
    case_pages = [(keys[by_token[token]], api_path.replace("/api/v1/cases/", "/staff/cases/"))
                  for token, api_path in (line.split("\t") for line in details.read_text().splitlines() if line)]
    run.sh(str(BIN / "python"), "manage.py", "shell", "-c",
           "from django.utils import timezone; from core.dashboard import dashboard_figures_refresh; "
           "dashboard_figures_refresh(now=timezone.now())", cwd=ROOT, env=env)
    scenarios = [
        ("workspace_queue_unit_http", page_paths("queue", [(keys[user], "/staff/?queue=unit") for user in USERS])),
        ("workspace_case_http", page_paths("cases", case_pages)),
        ("workspace_dashboard_head_http", page_paths("dashboard-head", [(keys["supervisor1"], "/staff/dashboard/")])),
        ("workspace_dashboard_office_http", page_paths("dashboard-office", [(keys["director"], "/staff/dashboard/")])),
    ]
    rows = []
    for name, paths in scenarios:
        pages = {"BENCH_PATHS_FILE": str(paths), "BENCH_PATHS_AUTH": "session"}
        run.wrk("paths.lua", 2, 200, env, pages)  # warm-up
        rows.append(run.measured(name, "paths.lua", requests, 200, env, pages, max_seconds=STAFF_SECONDS))
    return rows


def peak_rss_mib(pids: list[int]) -> float:
    """The largest peak resident set (VmHWM) among ``pids``, in MiB."""
    peaks = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except FileNotFoundError:
            continue
    return round(max(peaks, default=0.0), 1)


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in out.split()]


@contextmanager
def gunicorn(env: dict):
    web = subprocess.Popen([str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{run.PORT}", "--workers", "2",
                            "--worker-class", "sync"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        run.wait_for_health()
        yield web
    finally:
        os.killpg(web.pid, 15)
        web.wait(timeout=15)


@contextmanager
def celery_worker(env: dict):
    worker = subprocess.Popen([str(BIN / "celery"), "-A", "config", "worker", "--loglevel", "WARNING", "--concurrency",
                               "2", "--without-heartbeat", "--without-mingle", "--without-gossip"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while len(children(worker.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
        time.sleep(2)
        yield worker
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)


def http_scenarios(env: dict, requests: int) -> tuple[list[dict], float]:
    keys = tokens(env)
    rows = []
    with gunicorn(env) as web:
        details = detail_paths(env, keys)
        scenarios = [("staff_detail_http", details)] + [
            (f"staff_{label}_http", queue_paths(keys, name))
            for label, name in (("queue_unit", "unit"), ("queue_overdue", "overdue"), ("search", "search"),
                                ("search_other_units", "search_other_units"))
        ]
        for name, paths in scenarios:
            run.wrk("paths.lua", 2, 200, env, {"BENCH_PATHS_FILE": str(paths)})  # warm-up
            rows.append(run.measured(name, "paths.lua", requests, 200, env, {"BENCH_PATHS_FILE": str(paths)},
                                     max_seconds=STAFF_SECONDS))
        rows += workspace_scenarios(env, requests, details, keys)
        rows.append(public_stats(env, requests))
        web_rss = peak_rss_mib(children(web.pid))
    return rows, web_rss


def public_stats(env: dict, requests: int) -> dict:
    """/stats/ of the current and the previous fiscal year, as citizens read it: from the figures beat keeps."""
    run.sh(str(BIN / "python"), "manage.py", "shell", "-c",
           "from django.utils import timezone; from core.statistics import statistics_snapshots_refresh, "
           "period_statistics; from core.periods import fiscal_year_period, period_parse; now = timezone.now(); "
           "statistics_snapshots_refresh(now=now); "
           "period_statistics(period_parse(str(fiscal_year_period(now).fiscal_year - 1)), now=now)", cwd=ROOT, env=env)
    year = int(run.sh(str(BIN / "python"), "-c", "import datetime; t = datetime.date.today(); "
                      "print(t.year + 543 + (t.month >= 10))").strip())
    paths = {"BENCH_STATS_PATHS": f"/stats/ /stats/?fiscal_year={year - 1}&part="}
    run.wrk("stats.lua", 2, 200, env, paths)  # warm-up: each worker renders and keeps the pages' figures
    return run.measured("public_stats_http", "stats.lua", requests, 200, env, paths, max_seconds=STAFF_SECONDS)


def statistics_and_reports(env: dict) -> list[dict]:
    """bench/reports.py: the fiscal-year statistics warm and cold, and a fiscal year's report files."""
    out = run.sh(str(BIN / "python"), str(ROOT / "bench" / "reports.py"), cwd=ROOT, env=env)
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def sweep_idle(env: dict) -> dict:
    out = run.sh(str(BIN / "python"), str(ROOT / "bench" / "sweep_idle.py"), cwd=ROOT, env=env)
    return json.loads(out.strip().splitlines()[-1])


# -- route_latency -------------------------------------------------------------------------------

INTAKE_BODY = json.dumps({
    "kind": "complaint", "category": "teacher-conduct", "title": "ครูไม่เข้าสอน (route latency)",
    "description": "ครูประจำชั้น ป.4 ไม่เข้าสอนบ่อยครั้ง นักเรียนไม่ได้เรียนตามหลักสูตร",
    "contact": {"name": "ผู้ปกครอง", "email": "parent@example.com"}, "consent": True,
}, ensure_ascii=False).encode()


def _paced_intakes(rate: float, seconds: float, threads: int = 8) -> dict:
    """POST intakes at a steady ``rate`` per second (each thread on its own schedule; 8 threads, as the 8
    connections of the other HTTP scenarios, so that the client keeps the pace while answers slow down);
    every answer must be 201."""
    import http.client

    statuses: dict[int, int] = {}
    lateness: list[float] = []
    lock = threading.Lock()
    start = time.monotonic() + 0.5

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", run.PORT, timeout=10)
        n = 0
        while True:
            due = start + (offset + n * threads) / rate
            if due - start >= seconds:
                break
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            conn.request("POST", "/api/v1/public/cases/", body=INTAKE_BODY,
                         headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
                lateness.append(time.monotonic() - due)
            n += 1

    pool = [threading.Thread(target=worker, args=(offset,)) for offset in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    # Behind schedule means the server could not take the rate: the achieved rate says what it took.
    elapsed = time.monotonic() - start
    return {"statuses": statuses, "client_lag_p99_ms": round(_percentile(lateness, 99) * 1000, 1),
            "achieved_rate_per_s": round(sum(statuses.values()) / elapsed, 1)}


def _percentile(values: list[float], percent: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def route_latency(env: dict, rate: float = 100, seconds: float = 60, drain: float = 30,
                  name: str = "route_latency") -> dict:
    """Intake -> assigned by a real worker at a steady rate; latency read from the audit events.

    Cases still unassigned ``drain`` seconds after the last intake are counted, not waited for."""
    import redis

    redis.Redis.from_url(env["CELERY_BROKER_URL"]).flushdb()
    first_id = int(_sql(env, "SELECT COALESCE(MAX(id), 0) + 1 FROM core_case")[0][0])
    with gunicorn(env), celery_worker(env) as worker:
        sent = _paced_intakes(rate, seconds)
        deadline = time.monotonic() + drain
        query = f"SELECT count(*) FROM core_case WHERE id >= {first_id} AND status = 'submitted'"
        while int(_sql(env, query)[0][0]) and time.monotonic() < deadline:
            time.sleep(1)
        worker_rss = peak_rss_mib([worker.pid, *children(worker.pid)])
    if set(sent["statuses"]) != {201}:
        raise SystemExit(f"route_latency: intake answered {sent['statuses']}")
    rows = _sql(env, f"""
        SELECT EXTRACT(EPOCH FROM (a.at - s.at)) FROM core_case c
        JOIN core_caseevent s ON s.case_id = c.id AND s.seq = 1
        JOIN core_caseevent a ON a.case_id = c.id AND a.type = 'assign'
        WHERE c.id >= {first_id}""")
    latencies = [float(row[0]) for row in rows]
    total = int(_sql(env, f"SELECT count(*) FROM core_case WHERE id >= {first_id}")[0][0])
    return {
        "scenario": name,
        "intakes": sum(sent["statuses"].values()),
        "rate_per_s": rate,
        "seconds": seconds,
        "assigned": len(latencies),
        "not_assigned": total - len(latencies),
        "achieved_rate_per_s": sent["achieved_rate_per_s"],
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(_percentile(latencies, 99) * 1000, 1) if latencies else None,
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "client_lag_p99_ms": sent["client_lag_p99_ms"],
        "worker_max_rss_mib": worker_rss,
    }


def run_all(cases: int, requests: int, reseed: bool = True) -> list[dict]:
    env = scale_environment()
    rows = []
    if reseed:
        seeded = seed(cases)
        rows.append({"scenario": "seed_bulk", **seeded})
        print(f"seeded {cases} cases in {seeded['total_s']:.0f}s", file=sys.stderr)
    rows.append(sweep_idle(env))
    rows += statistics_and_reports(env)
    http_rows, web_rss = http_scenarios(env, requests)
    rows += http_rows
    latency = route_latency(env)
    rows.append(latency)
    # The same at a rate this machine's two cores can sustain (intake, routing and delivery share them).
    rows.append(route_latency(env, rate=25, seconds=30, name="route_latency_25_per_s"))
    rows.append({"scenario": "memory", "web_worker_max_rss_mib": web_rss,
                 "celery_worker_max_rss_mib": latency["worker_max_rss_mib"]})
    return rows
