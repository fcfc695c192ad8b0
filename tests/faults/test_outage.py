"""Finding 13: the database goes away while requests are in flight (a restart, as its clients see it) and
comes back. Every answer is a 201 or a 503 with Retry-After in the error format (a Thai page for the
portal), never a 500, and nothing is half-written."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.db import connection

from core.models import Case
from tests.faults.conftest import wait_for
from tests.servers import TcpProxy

pytestmark = [pytest.mark.slow, pytest.mark.faults]


def post_case(base_url: str, n: int) -> tuple[int, dict, dict]:
    body = json.dumps({"kind": "complaint", "category": "teacher-conduct", "title": f"ทดสอบระบบขัดข้อง {n}",
                       "description": "ครูไม่เข้าสอน", "consent": True}).encode()
    request = urllib.request.Request(f"{base_url}/api/v1/public/cases/", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, dict(answer.headers), json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


def get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_a_database_outage_answers_503_and_loses_nothing(stack):
    db = connection.settings_dict
    proxy = TcpProxy(int(db["PORT"] or 5432), db["HOST"] or "127.0.0.1").start()
    stack.env["DATABASE_URL"] = f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}"
    base = stack.start_web(workers=2)
    answers, stop, lock = [], threading.Event(), threading.Lock()

    def client(offset: int) -> None:
        n = offset
        while not stop.is_set():
            result = post_case(base, n)
            with lock:
                answers.append(result)
            n += 2

    clients = [threading.Thread(target=client, args=(offset,)) for offset in (0, 1)]
    for thread in clients:
        thread.start()
    def count(status: int) -> int:
        with lock:
            return sum(1 for answer in answers if answer[0] == status)

    try:
        wait_for(lambda: count(201) >= 10, timeout=120, message=lambda: f"intake before the outage {answers[-3:]}")
        proxy.cut()
        wait_for(lambda: count(503) >= 5, timeout=120, message=lambda: f"503s during the outage {answers[-3:]}")
        with lock:
            known = next(body["tracking_number"] for status, _, body in answers if status == 201)
        page = get(f"{base}/track/{known}/")  # the portal's status page reads the database
        served = count(201)
        proxy.restore()
        wait_for(lambda: count(201) >= served + 10, timeout=120,
                 message=lambda: f"intake after the outage {answers[-3:]}\n{stack.log('web')}")
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=90)
        proxy.cut()

    status, headers, text = page
    assert status == 503 and "ชั่วคราว" in text and int(headers["Retry-After"]) > 0
    statuses = {status for status, _, _ in answers}
    assert statuses <= {201, 503}, [answer for answer in answers if answer[0] not in (201, 503)][:3]
    unavailable = [answer for answer in answers if answer[0] == 503]
    assert all(headers.get("Retry-After") and body["error"]["code"] == "service_unavailable"
               for _, headers, body in unavailable)
    accepted = [body["tracking_number"] for status, _, body in answers if status == 201]
    stored = Case.objects.filter(title__startswith="ทดสอบระบบขัดข้อง")
    assert stored.filter(tracking_number__in=accepted).count() == len(accepted)  # every 201 is committed
    assert not stored.filter(event_head_seq=0).exists() and all(  # and nothing is half-written
        case.events.count() == case.event_head_seq for case in stored)
