"""Profile the public intake and status lookup in process, through Django's WSGI handler (no network).

    .venv/bin/python bench/profile_public.py [--requests 500] [--html out.html]

Uses the bench database of ``bench/run.py`` (re-created), prints CPU ms per request and a pyinstrument
profile of each endpoint, so that what bounds ``intake_http`` and ``status_lookup_http`` can be read off
without gunicorn, wrk or the network in the way.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run as bench_run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--keep-db", action="store_true", help="Do not re-create the bench database.")
    args = parser.parse_args()
    env = bench_run.environment()
    if not args.keep_db:
        bench_run.prepare_database(env)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.wsgi import get_wsgi_application
    from pyinstrument import Profiler

    app = get_wsgi_application()

    def call(method: str, path: str, body: bytes = b"") -> tuple[str, bytes]:
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/json",
            "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
            "wsgi.run_once": False, "wsgi.version": (1, 0), "HTTP_HOST": "127.0.0.1:8000",
        }
        status = []
        chunks = app(environ, lambda s, h, *a: status.append(s))
        data = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        return status[0], data

    def body(n: int) -> bytes:
        return json.dumps({
            "kind": "complaint", "category": "teacher-conduct", "title": f"ครูไม่เข้าสอน {n}",
            "description": "ครูประจำชั้น ป.4 โรงเรียนบ้านหนองปลิงไม่เข้าสอนบ่อยครั้ง นักเรียนไม่ได้เรียนตามหลักสูตร",
            "contact": {"name": "ผู้ปกครอง", "email": "parent@example.com"}, "consent": True,
        }, ensure_ascii=False).encode()

    tracking = []
    for n in range(50):  # warm-up
        status, data = call("POST", "/api/v1/public/cases/", body(n))
        assert status.startswith("201"), (status, data[:300])
        tracking.append(json.loads(data)["tracking_number"])

    for name, request in (
        ("intake", lambda i: call("POST", "/api/v1/public/cases/", body(1000 + i))),
        ("lookup", lambda i: call("GET", f"/api/v1/public/cases/{tracking[i % len(tracking)]}/")),
    ):
        cpu = time.process_time()
        for i in range(args.requests):
            request(i)
        print(f"== {name}: {(time.process_time() - cpu) * 1000 / args.requests:.2f} ms CPU per request, unprofiled")
        profiler = Profiler(interval=0.0002)
        cpu, wall = time.process_time(), time.perf_counter()
        profiler.start()
        for i in range(args.requests):
            status, data = request(i)
            assert status[:1] == "2", (status, data[:300])
        profiler.stop()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(f"== {name}: {cpu * 1000 / args.requests:.2f} ms CPU, {wall * 1000 / args.requests:.2f} ms wall per request, profiled")
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
