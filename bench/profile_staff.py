"""Profile the staff case detail and queue pages in process, through Django's WSGI handler, on the
million-case database that ``bench/run.py --only scale`` seeds (``rabfang_bench_scale``).

    .venv/bin/python bench/profile_staff.py [--requests 300] [--page detail|unit|overdue|workspace-case|workspace-queue]

The API's pages are read with tokens; the workspace's (``workspace-*``) with signed-in sessions, as
``bench/scale.py`` reads them.

Prints CPU ms per request unprofiled, then a pyinstrument profile: what bounds ``staff_detail_http`` and
``staff_queue_*_http`` without gunicorn, wrk or the network in the way.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import scale as bench_scale  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--page", choices=("detail", "unit", "overdue", "workspace-case", "workspace-queue"),
                        default="detail")
    args = parser.parse_args()
    env = bench_scale.scale_environment()
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    keys = bench_scale.tokens(env)
    if args.page in ("detail", "workspace-case"):
        paths = bench_scale.detail_paths(env, keys, per_user=max(50, args.requests))
    else:
        paths = bench_scale.queue_paths(keys, "unit" if args.page == "workspace-queue" else args.page)
    requests = [line.split("\t") for line in paths.read_text().splitlines() if line]
    session = args.page.startswith("workspace-")
    if session:
        sessions, users = bench_scale.sessions(env), {token: user for user, token in keys.items()}
        requests = [(sessions[users[key]], path.replace("/api/v1/cases/", "/staff/cases/") if args.page ==
                     "workspace-case" else "/staff/?queue=unit") for key, path in requests]

    from django.core.wsgi import get_wsgi_application
    from pyinstrument import Profiler

    app = get_wsgi_application()

    def call(i: int) -> None:
        key, path = requests[i % len(requests)]
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": route, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
            "wsgi.version": (1, 0), "HTTP_HOST": "127.0.0.1:8000",
            **({"HTTP_COOKIE": f"sessionid={key}"} if session else {"HTTP_AUTHORIZATION": f"Token {key}"}),
        }
        status = []
        chunks = app(environ, lambda s, h, *a: status.append(s))
        b"".join(chunks)
        chunks.close()
        assert status[0].startswith("200"), status

    for i in range(30):  # warm-up
        call(i)
    cpu = time.process_time()
    for i in range(args.requests):
        call(i)
    print(f"== {args.page}: {(time.process_time() - cpu) * 1000 / args.requests:.2f} ms CPU per request, unprofiled")
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for i in range(args.requests):
        call(i)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
