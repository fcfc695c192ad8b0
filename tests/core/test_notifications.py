"""Outbox rows, delivery over real SMTP and a signed webhook, retries, backoff and giving up (docs/design.md, "Notifications")."""

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import CaseEvent, Notification
from core.notifications.delivery import notification_deliver, notifications_due
from tests.conftest import submit, user_named
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db
CONTACT = {"name": "ผู้ปกครอง", "email": "parent@example.com", "phone": "0812345678", "line_id": "parent-line"}


def deliver_all(now=None) -> list[str]:
    return [notification_deliver(notification_id=pk, now=now) for pk in
            notifications_due(now=now or timezone.now(), limit=1000)]


def test_intake_writes_the_acknowledgement_in_the_same_transaction(demo, webhook):
    case = submit(contact=CONTACT).case
    rows = Notification.objects.filter(event__case=case)
    assert sorted(rows.values_list("channel", "template", "to_citizen")) == [
        ("email", "acknowledgement", True), ("webhook", "acknowledgement", True)]
    assert "parent@example.com" not in str(list(rows.values()))  # the outbox copies no address


def test_one_row_per_event_channel_and_recipient(demo):
    case = submit(contact=CONTACT).case
    event = CaseEvent.objects.get(case=case, type="submit")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(event=event, channel="email", to_citizen=True, citizen_case=case,
                                    template="acknowledgement", next_attempt_at=timezone.now())


def test_thai_acknowledgement_arrives_over_smtp(demo, smtp):
    case = submit(contact=CONTACT).case
    assert deliver_all() == ["sent"]
    [message] = smtp.messages
    assert message["To"] == "parent@example.com"
    assert case.tracking_number in message["Subject"] and "รับเรื่อง" in message["Subject"]
    body = message.get_content()
    assert case.tracking_number in body and "กำหนดแจ้งผลภายใน" in body and "2569" in body  # Buddhist Era date
    assert Notification.objects.get(event__case=case).status == "sent"
    assert deliver_all() == []  # sent rows are never sent again


def test_delivering_one_row_reads_it_in_one_statement(demo, smtp, django_assert_max_num_queries):
    case = submit(contact=CONTACT).case
    [pk] = Notification.objects.filter(event__case=case, channel="email").values_list("pk", flat=True)
    # The row with its event, case and recipient, locked; the status update (SAVEPOINTs under the test's
    # transaction).
    with django_assert_max_num_queries(4):
        assert notification_deliver(notification_id=pk) == "sent"
    assert smtp.messages[0]["To"] == "parent@example.com"


def test_english_when_the_citizen_chose_it(demo, smtp):
    submit(contact=CONTACT, language="en")
    deliver_all()
    [message] = smtp.messages
    assert message["Subject"].startswith("We have received your case")


def test_staff_hear_about_assignment_and_the_citizen_about_the_answer(demo, smtp):
    case = submit(contact={"email": "parent@example.com"}).case
    case_transition(tracking=case.tracking_number, name="assign", actor=user_named("supervisor1"),
                    params={"assignee": "officer1"})
    case_transition(tracking=case.tracking_number, name="accept", actor=user_named("officer1"))
    case_transition(tracking=case.tracking_number, name="request_info", actor=user_named("officer1"),
                    params={"question": "โรงเรียนใด"})
    case_transition(tracking=case.tracking_number, name="resume", actor=user_named("officer1"))
    case_transition(tracking=case.tracking_number, name="respond", actor=user_named("officer1"),
                    params={"reply": "ได้ตักเตือนแล้ว"})
    deliver_all()
    received = [(m["To"], m["Subject"]) for m in smtp.messages]
    assert [to for to, _ in received] == ["parent@example.com", "officer1@example.go.th", "parent@example.com",
                                          "parent@example.com"]
    assert "มอบหมาย" in received[1][1] and "ขอข้อมูลเพิ่มเติม" in received[2][1] and "แจ้งผล" in received[3][1]
    assert "ได้ตักเตือนแล้ว" in smtp.messages[3].get_content()


def test_the_webhook_is_signed_with_hmac_sha256(demo, webhook):
    case = submit(contact=CONTACT).case
    Notification.objects.filter(channel="email").delete()
    assert deliver_all() == ["sent"]
    [request] = webhook.requests
    expected = "sha256=" + hmac.new(b"test-secret", request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Rabfang-Signature"] == expected
    payload = request["json"]
    assert payload["tracking_number"] == case.tracking_number and payload["template"] == "acknowledgement"
    assert payload["recipient"] == {"phone": "0812345678", "line_id": "parent-line"}
    assert payload["language"] == "th" and case.tracking_number in payload["text"]


def test_failures_back_off_exponentially_then_the_row_dies_with_its_error(demo, settings, webhook):
    settings.NOTIFY_MAX_ATTEMPTS = 4
    webhook.status = 503
    submit(contact={"phone": "0812345678"})
    row = Notification.objects.get()
    now = timezone.now()
    gaps = []
    for _ in range(3):
        assert notification_deliver(notification_id=row.pk, now=now) == "retry"
        row.refresh_from_db()
        gaps.append((row.next_attempt_at - now).total_seconds())
        assert notification_deliver(notification_id=row.pk, now=now) == "skipped"  # not due yet
        now = row.next_attempt_at
    assert gaps == [30, 60, 120]
    assert notification_deliver(notification_id=row.pk, now=now) == "dead"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("dead", 4)
    assert "503" in row.last_error
    assert len(webhook.requests) == 4


def test_the_sweep_resends_what_is_still_pending(demo, smtp, settings):
    settings.EMAIL_PORT = 9  # nothing listens there: a real refused connection
    submit(contact={"email": "parent@example.com"})
    assert deliver_all() == ["retry"]
    settings.EMAIL_PORT = smtp.port
    assert deliver_all() == []  # backing off
    assert deliver_all(now=timezone.now() + timedelta(minutes=1)) == ["sent"]
    assert len(smtp.messages) == 1


def test_anonymous_reporters_get_nothing_and_keep_nothing(demo, smtp):
    submit("corruption", anonymous=True, contact=CONTACT)
    assert Notification.objects.count() == 0


def test_the_requester_of_a_merged_duplicate_hears_only_what_is_for_all_requesters(demo, smtp, api):
    """A reply to the kept case's requester may name them: the duplicate's requester is told of the merge
    and reads only what the office marks for all requesters (finding 7 of the security probe)."""
    kept = submit(contact={"email": "first@example.com"})
    duplicate = submit(contact={"email": "second@example.com"}, language="en")
    supervisor, officer = user_named("supervisor1"), user_named("officer1")
    case_transition(tracking=kept.case.tracking_number, name="assign", actor=supervisor, params={"assignee": "officer1"})
    case_transition(tracking=duplicate.case.tracking_number, name="merge", actor=supervisor,
                    params={"duplicate_of": kept.case.tracking_number})
    case_transition(tracking=kept.case.tracking_number, name="accept", actor=officer)
    case_transition(tracking=kept.case.tracking_number, name="respond", actor=officer,
                    params={"reply": "เรียนคุณสมใจ แก้ไขแล้ว"})
    staff = api.__class__()
    staff.force_authenticate(officer)
    answer = staff.post(f"/api/v1/cases/{kept.case.tracking_number}/replies/",
                        {"text": "ถึงผู้ร้องทุกท่าน: ได้แก้ไขแล้ว", "for_all_requesters": True}, format="json")
    assert answer.status_code == 201, answer.json()
    deliver_all()
    second = [m for m in smtp.messages if m["To"] == "second@example.com"]
    subjects = [m["Subject"].strip() for m in second]
    assert subjects[0].startswith("We have received") and "merged" in subjects[1]
    assert kept.case.tracking_number in second[1].get_content()
    assert subjects[2:] == [f"An answer about case {kept.case.tracking_number}"]  # the one for all, only
    assert duplicate.case.tracking_number in second[2].get_content()  # "your case ... was merged into ..."
    assert [m["To"] for m in smtp.messages].count("first@example.com") == 3  # acknowledgement, two answers
    replies = api.get(f"/api/v1/public/cases/{duplicate.case.tracking_number}/replies/",
                      HTTP_X_ACCESS_KEY=duplicate.access_key).json()
    assert [r["message"] for r in replies] == ["ถึงผู้ร้องทุกท่าน: ได้แก้ไขแล้ว"]
