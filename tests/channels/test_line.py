"""The office's LINE Official Account (issue 16), with LINE's official SDK against a local server that plays LINE's
API, signed webhook posts, and a real Celery worker taking the events: the guided conversation to a case with its
photo and school, "my cases", corruption sent to the sealed page, status updates pushed through the outbox, a block
recorded; bad signatures, redelivered and out-of-order events refused cleanly."""

import base64
import hashlib
import hmac
import json
import time
import uuid

import pytest
import requests
from django.utils import timezone

from channels.line import line_event_process
from channels.models import LineEvent
from core.models import Attachment, Case, LineUser, Notification, School
from tests.conftest import user_named
from tests.servers import LineApiStandIn
from tests.workers.conftest import task_results, worker_process  # noqa: F401 - fixtures
from workflows.staff_work import case_reply_add

SECRET, TOKEN, USER = "test-channel-secret", "test-access-token", "U" + "a" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32 + b"\x00\x00\x00\x00IEND\xaeB`\x82"


@pytest.fixture
def line(settings, monkeypatch):
    stand_in = LineApiStandIn().start()
    values = {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_BASE_URL": stand_in.url,
              "LINE_DATA_BASE_URL": stand_in.url}
    for name, value in values.items():
        setattr(settings, name, value)
        monkeypatch.setenv(name, value)  # (and the worker's)
    yield stand_in
    stand_in.stop()


def event(kind: str = "message", *, text: str | None = None, image: str | None = None, at: int | None = None,
          event_id: str | None = None) -> dict:
    body = {"type": kind, "webhookEventId": event_id or uuid.uuid4().hex, "timestamp": at or int(time.time() * 1000),
            "source": {"type": "user", "userId": USER}, "replyToken": uuid.uuid4().hex, "mode": "active",
            "deliveryContext": {"isRedelivery": False}}
    if text is not None:
        body["message"] = {"type": "text", "id": uuid.uuid4().hex[:18], "text": text}
    if image is not None:
        body["message"] = {"type": "image", "id": image, "contentProvider": {"type": "line"}}
    return body


def post(base_url: str, *events: dict, secret: str = SECRET, signature: str | None = None):
    body = json.dumps({"destination": "Uoffice", "events": list(events)}, ensure_ascii=False).encode()
    signed = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return requests.post(f"{base_url}/channels/line/webhook/", data=body, timeout=10,
                         headers={"Content-Type": "application/json", "X-Line-Signature": signature or signed})


def wait_for(predicate, message: str, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, message
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_only_signed_events_are_kept_and_each_once(line, live_server, demo):
    assert post(live_server.url, event(text="สวัสดี"), signature="bm90LXNpZ25lZA==").status_code == 401
    assert post(live_server.url, event(text="สวัสดี"), secret="another-secret").status_code == 401
    assert requests.post(f"{live_server.url}/channels/line/webhook/", data=b"{}", timeout=10).status_code == 401
    assert LineEvent.objects.count() == 0
    once = event(text="สวัสดี")
    assert post(live_server.url, once).status_code == 200
    assert post(live_server.url, once).status_code == 200  # LINE redelivers
    assert LineEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_conversation_to_a_case_its_updates_and_a_block(line, demo, worker_process, live_server):  # noqa: F811
    School.objects.create(code="1060050001", name_th="โรงเรียนบ้านหนองปลิง", district="เมืองนครสวรรค์")
    line.contents["photo1"], line.contents["fake"] = PNG, b"MZ not a photo"
    steps = [(event("follow"), "ช่องทาง"), (event(text="ร้องเรียน"), "เลือกเรื่อง"),
             (event(text="พฤติกรรมครูและบุคลาก"), "เล่า"),
             (event(text="ครูไม่เข้าสอนวิชาคณิตศาสตร์ติดต่อกันสามสัปดาห์"), "รูปภาพ"),
             (event(image="photo1"), "ได้รับรูปภาพ"), (event(image="fake"), "ได้รับรูปภาพ"),
             (event(text="ข้าม"), "โรงเรียน"), (event(text="โรงเรียนบ้านหนองปลิง"), "ข้อมูลส่วนบุคคล"),
             (event(text="ยอมรับ"), "ตรวจสอบ"), (event(text="ยืนยันส่งเรื่อง"), "เลขที่เรื่อง")]
    for sent, expected in steps:
        before = len(line.replies)
        assert post(live_server.url, sent).status_code == 200
        wait_for(lambda before=before: len(line.replies) > before, f"the reply to {sent.get('message', sent['type'])}")
        assert expected in line.texts()[-1], (expected, line.texts()[-1])
    case = Case.objects.get(channel="line")
    assert (case.kind, case.category.code, case.school.code) == ("complaint", "teacher-conduct", "1060050001")
    assert Attachment.objects.filter(case=case).count() == 1  # the real photo; the disguised one left out
    assert case.tracking_number in line.texts()[-1] and line.texts()[-1].endswith("): 1")  # one photo left out
    quick = line.replies[-1]["messages"][0]["quickReply"]["items"]
    assert "เรื่องของฉัน" in [item["action"]["text"] for item in quick]
    before = len(line.replies)
    post(live_server.url, event(text="เรื่องของฉัน"))
    wait_for(lambda: len(line.replies) > before, "my cases")
    assert line.texts()[-1].startswith(f"{case.tracking_number}: ")  # with its status
    # The office answers: the citizen hears it on LINE, through the outbox and the worker.
    case_reply_add(tracking=case.tracking_number, actor=user_named("supervisor1"), text="กำลังตรวจสอบข้อเท็จจริง")
    def answered():
        return [push for push in line.pushes if "กำลังตรวจสอบข้อเท็จจริง" in push["messages"][0]["text"]]

    wait_for(answered, "the push")
    [push] = answered()
    assert push["to"] == USER and push["retry_key"]
    assert "รับเรื่องของท่านแล้ว" in line.pushes[0]["messages"][0]["text"]  # the acknowledgement came this way too
    # The user blocks the account: recorded, and nothing more is pushed.
    post(live_server.url, event("unfollow"))
    wait_for(lambda: LineUser.objects.get(user_id=USER).blocked_at is not None, "the block")
    case_reply_add(tracking=case.tracking_number, actor=user_named("supervisor1"), text="อีกข้อความ")
    assert not Notification.objects.filter(event__case=case, channel="line", event__data__message="อีกข้อความ")


@pytest.mark.django_db
def test_corruption_is_sent_to_the_sealed_page_and_late_events_are_left(line, demo,
                                                                       django_capture_on_commit_callbacks):
    newer = LineEvent.objects.create(webhook_event_id="e2", payload=event(text="ร้องเรียน", at=2_000_000_000_000))
    older = LineEvent.objects.create(webhook_event_id="e1", payload=event(text="เรื่องของฉัน", at=1_000_000_000_000))
    with django_capture_on_commit_callbacks(execute=True):  # (the reply goes once the step is committed)
        assert line_event_process(event_id=newer.pk) == "replied"
        assert line_event_process(event_id=older.pk) == "out of order"
        assert line_event_process(event_id=older.pk) == "taken"
    corruption = LineEvent.objects.create(webhook_event_id="e3", payload=event(text="แจ้งเบาะแสทุจริต",
                                                                                 at=2_000_000_000_001))
    LineUser.objects.filter(user_id=USER).update(step="idle", draft={})
    with django_capture_on_commit_callbacks(execute=True):
        line_event_process(event_id=corruption.pk)
    assert "/corruption/" in line.texts()[-1] and Case.objects.count() == 0
    assert timezone.now()  # (no case, nothing pushed)
    assert line.pushes == []


@pytest.mark.django_db(transaction=True)
def test_an_unstorable_or_malformed_event_is_left_alone_and_the_rest_taken(line, live_server, demo):
    good, nul = event("follow"), event(text="a\u0000b")
    assert post(live_server.url, good, nul).status_code == 200
    assert list(LineEvent.objects.values_list("webhook_event_id", flat=True)) == [good["webhookEventId"]]
    deep = "[" * 100_000
    body = ('{"events": ' + deep + "]" * 100_000 + "}").encode()
    signed = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    assert requests.post(f"{live_server.url}/channels/line/webhook/", data=body, timeout=30,
                         headers={"X-Line-Signature": signed}).status_code == 400
    for odd in ({**event(text="x"), "source": "U1"}, {**event(text="x"), "timestamp": "abc"},
                {**event(), "message": "hi"}, {**event(), "message": {"type": "text", "text": ["a"]}}):
        stored = LineEvent.objects.create(webhook_event_id=uuid.uuid4().hex, payload=odd)
        outcome = line_event_process(event_id=stored.pk)
        assert outcome in ("no user", "replied") or outcome.startswith("malformed"), outcome
        assert LineEvent.objects.get(pk=stored.pk).processed_at is not None
