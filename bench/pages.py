"""The staff API's case detail and unit queue beside the workspace's case page and unit queue page, alternating,
on the million-case database that ``bench/run.py --only scale`` seeds: issue 13's bounds compare each page's p99
with the API's of the same run, and this machine's speed drifts between runs.

    .venv/bin/python bench/pages.py [--rounds 2] [--requests 3000]

Prints one JSON line per scenario and round (the same fields as bench/run.py's rows) and the ratios.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402
import scale  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    env = scale.scale_environment()
    keys = scale.tokens(env)
    with scale.gunicorn(env):
        details = scale.detail_paths(env, keys)
        sessions = scale.sessions(env)
        users = {token: user for user, token in keys.items()}
        case_pages = [(sessions[users[token]], path.replace("/api/v1/cases/", "/staff/cases/"))
                      for token, path in (line.split("\t") for line in details.read_text().splitlines() if line)]
        queue_pages = [(sessions[user], "/staff/?queue=unit") for user in scale.USERS]
        scenarios = [
            ("staff_detail_http", {"BENCH_PATHS_FILE": str(details)}),
            ("workspace_case_http", {"BENCH_PATHS_FILE": str(scale.page_paths("cases", case_pages)),
                                     "BENCH_PATHS_AUTH": "session"}),
            ("staff_queue_unit_http", {"BENCH_PATHS_FILE": str(scale.queue_paths(keys, "unit"))}),
            ("workspace_queue_unit_http", {"BENCH_PATHS_FILE": str(scale.page_paths("queue", queue_pages)),
                                           "BENCH_PATHS_AUTH": "session"}),
        ]
        for _ in range(args.rounds):
            p99 = {}
            for name, extra in scenarios:
                run.wrk("paths.lua", 2, 200, env, extra)  # warm-up
                row = run.measured(name, "paths.lua", args.requests, 200, env, extra, max_seconds=scale.STAFF_SECONDS)
                p99[name] = row["p99_ms"]
                print(json.dumps(row), flush=True)
            ratios = {"case_page_over_api_detail": p99["workspace_case_http"] / p99["staff_detail_http"],
                      "queue_page_over_api_queue": p99["workspace_queue_unit_http"] / p99["staff_queue_unit_http"]}
            print(json.dumps({name: round(value, 2) for name, value in ratios.items()}), flush=True)


if __name__ == "__main__":
    main()
