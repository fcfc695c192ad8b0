"""`make smoke`: run `make run`'s script exactly as a newcomer would (no DATABASE_URL, no Redis: the
embedded PostgreSQL and the filesystem broker, in a fresh var folder), then check what they would:
migrations and demo data, a complaint received over the public API, routed by the worker, looked up by
tracking number in the API and in the portal. Everything is stopped at the end, the database included.

Waits are on events (the health check answering, the case's status changing), each bounded so that a
broken start fails in minutes with the logs shown, not hangs.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR_DIR = ROOT / "var" / "smoke"
START_DEADLINE = 300  # seconds: a first start creates the database, migrates and seeds
ROUTE_DEADLINE = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(url: str, body: dict | None = None) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if body is not None else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until(what: str, deadline: float, check, server: subprocess.Popen) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if server.poll() is not None:
            raise SystemExit(f"smoke: `make run` exited ({server.returncode}) while waiting for {what}")
        try:
            if check():
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.5)
    raise SystemExit(f"smoke: no {what} within {deadline} s")


def main() -> None:
    shutil.rmtree(VAR_DIR, ignore_errors=True)
    VAR_DIR.mkdir(parents=True)  # (a fresh clone has no var/ yet)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env.update(RABFANG_VAR_DIR=str(VAR_DIR), PORT=str(port), SWEEP_INTERVAL_SECONDS="5", ROUTING_GRACE_SECONDS="5")
    log = (VAR_DIR.parent / "smoke.log").open("w")
    server = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    ok = False
    try:
        wait_until("answer from /healthz", START_DEADLINE, lambda: request(f"{base}/healthz")[0] == 200, server)
        status, body = request(f"{base}/api/v1/public/cases/", {
            "kind": "complaint", "category": "teacher-conduct", "title": "ครูไม่เข้าสอน",
            "description": "ครูประจำชั้น ป.4 ไม่เข้าสอนบ่อยครั้ง", "consent": True})
        assert status == 201, (status, body)
        tracking = json.loads(body)["tracking_number"]
        print(f"smoke: received {tracking}")

        def routed() -> bool:
            status, body = request(f"{base}/api/v1/public/cases/{tracking}/")  # (the latest case received)
            return status == 200 and json.loads(body)["status"] == "assigned"

        wait_until(f"routing of {tracking}", ROUTE_DEADLINE, routed, server)
        answer = json.loads(request(f"{base}/api/v1/public/cases/{tracking}/")[1])
        print(f"smoke: routed to {answer['unit']}; lookup answers {answer['status_label']}")
        status, page = request(f"{base}/track/{tracking}/")
        assert status == 200 and tracking.encode() in page, status
        print("smoke: the portal's status page shows it")
        assert not (ROOT / "control").exists(), "the filesystem broker wrote control/ into the working directory"

        # A worker that dies is started again, and the next case is routed.
        import psutil

        worker = next(child for child in psutil.Process(server.pid).children()
                      if "worker" in child.cmdline() and "celery" in " ".join(child.cmdline()))
        for process in [*worker.children(recursive=True), worker]:
            process.kill()
        log_file = VAR_DIR.parent / "smoke.log"
        wait_until("the worker to be started again", ROUTE_DEADLINE,
                   lambda: "make run: worker" in log_file.read_text(errors="replace"), server)
        status, body = request(f"{base}/api/v1/public/cases/", {
            "kind": "complaint", "category": "teacher-conduct", "title": "หลังเริ่มใหม่",
            "description": "ครูไม่เข้าสอน", "consent": True})
        assert status == 201, (status, body)
        tracking = json.loads(body)["tracking_number"]
        wait_until(f"routing of {tracking} by the restarted worker", ROUTE_DEADLINE, routed, server)
        print("smoke: a killed worker was started again and routed the next case")
        ok = True
    finally:
        server.send_signal(signal.SIGTERM)  # run.sh stops its processes, then the database
        try:
            server.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
        if not ok:
            sys.stdout.write((VAR_DIR.parent / "smoke.log").read_text()[-20000:])
    pid_file = VAR_DIR / "postgres" / "postmaster.pid"
    end = time.monotonic() + 30
    while pid_file.exists() and time.monotonic() < end:
        time.sleep(0.2)
    assert not pid_file.exists(), "the embedded PostgreSQL is still running after `make run` stopped"
    print("smoke: passed (everything stopped, the embedded PostgreSQL included)")


if __name__ == "__main__":
    main()
