"""The office's mailbox as a channel (issue 16): a real IMAP server (Dovecot) started here, messages delivered to it,
and the reader taking each once: a new case, a reply onto its case, automatic mail left alone, Thai code pages read,
files checked by content, a message too large or broken passed over without holding up the rest; and the beat task
through a real Celery worker."""

import time
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
from celery import current_app

from channels.mailbox import mailbox_poll
from channels.models import InboundMail
from core.models import Attachment, Case, CaseEvent
from tests.servers import ImapServer

USER = "saraban@nsw1.example.go.th"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def imap(settings, tmp_path, monkeypatch):
    server = ImapServer(tmp_path / "imap").start()
    values = {"MAILBOX_IMAP_HOST": "127.0.0.1", "MAILBOX_IMAP_PORT": server.port, "MAILBOX_IMAP_SSL": False,
              "MAILBOX_IMAP_USER": USER, "MAILBOX_IMAP_PASSWORD": server.password}
    for name, value in values.items():
        setattr(settings, name, value)
        monkeypatch.setenv(name, str(value).lower() if isinstance(value, bool) else str(value))  # (a worker's too)
    settings.MEDIA_ROOT = tmp_path / "media"
    yield server
    server.stop()


def mail(subject: str, body: str, *, sender="สมศรี ใจดี <somsri@example.com>", message_id=None, files=(),
         headers=None) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, USER, subject
    if message_id:
        message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for filename, content, maintype, subtype in files:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def seen(server) -> list[bool]:
    return [b"\\Seen" in line for line in server.flags(USER)]


@pytest.mark.django_db
def test_a_new_message_becomes_a_case_with_its_checked_files_once(imap):
    imap.deliver(USER, mail("ครูไม่เข้าสอน", "โรงเรียนบ้านหนองปลิง ครูไม่เข้าสอนสามสัปดาห์", message_id="<a1@example.com>",
                            files=[("หลักฐาน.pdf", PDF, "application", "pdf"),
                                   ("photo.jpg", b"MZ\x90\x00 not a photo", "image", "jpeg")]))
    assert mailbox_poll()["case"] == 1
    case = Case.objects.get()
    assert (case.channel, case.kind, case.title) == ("email", "complaint", "ครูไม่เข้าสอน")
    assert "ครูไม่เข้าสอนสามสัปดาห์" in case.description
    assert [a.original_name for a in Attachment.objects.filter(case=case)] == ["หลักฐาน.pdf"]
    note = CaseEvent.objects.get(case=case, type="note")
    assert "photo.jpg" in note.data["text"] and note.actor_kind == "system"
    from tests.conftest import user_named
    from workflows.staff_work import case_identity_read

    assert case_identity_read(tracking=case.tracking_number, actor=user_named("clerk1"))["email"] == (
        "somsri@example.com")
    assert seen(imap) == [True]
    imap.deliver(USER, mail("ครูไม่เข้าสอน", "ซ้ำ", message_id="<a1@example.com>"))  # the same message again
    assert mailbox_poll() == {"case": 0, "message": 0, "ignored": 0, "refused": 0}
    assert Case.objects.count() == 1 and InboundMail.objects.count() == 1 and seen(imap) == [True, True]


@pytest.mark.django_db
def test_thai_code_pages_and_unknown_charsets_are_read(imap):
    tis = MIMEText("ขอให้ปรับปรุงห้องน้ำโรงเรียน", "plain", "tis-620")
    tis["Subject"], tis["From"], tis["Message-ID"] = "=?TIS-620?B?" + __import__("base64").b64encode(
        "ห้องน้ำชำรุด".encode("tis-620")).decode() + "?=", "parent@example.com", "<t1@example.com>"
    imap.deliver(USER, tis.as_bytes())
    lying = ("From: parent2@example.com\r\nSubject: test\r\nMessage-ID: <t2@example.com>\r\n"
             "Content-Type: text/plain; charset=x-unknown\r\n\r\n").encode() + "ครูตีนักเรียน".encode("cp874")
    imap.deliver(USER, lying)
    assert mailbox_poll()["case"] == 2
    titles = dict(Case.objects.values_list("title", "description"))
    assert titles["ห้องน้ำชำรุด"] == "ขอให้ปรับปรุงห้องน้ำโรงเรียน"
    assert titles["test"] == "ครูตีนักเรียน"


@pytest.mark.django_db
def test_a_reply_carrying_the_tracking_number_is_the_citizens_message_from_their_address_only(imap):
    imap.deliver(USER, mail("ครูไม่เข้าสอน", "เรื่องแรก", message_id="<r1@example.com>"))
    mailbox_poll()
    case = Case.objects.get()
    imap.deliver(USER, mail(f"Re: เรื่องเลขที่ {case.tracking_number}", "ครูยังไม่เข้าสอน", message_id="<r2@example.com>",
                            sender="Somsri <SOMSRI@example.com>"))
    imap.deliver(USER, mail(f"Re: {case.tracking_number}", "ผมไม่ใช่ผู้ร้อง", message_id="<r3@example.com>",
                            sender="other@example.com"))
    assert mailbox_poll() == {"case": 1, "message": 1, "ignored": 0, "refused": 0}
    message = CaseEvent.objects.get(case=case, type="citizen_message")
    assert message.data == {"message": "ครูยังไม่เข้าสอน", "channel": "email"} and message.actor_kind == "citizen"
    other = InboundMail.objects.get(message_id__startswith="<r3@example.com>|")
    assert other.case != case and case.tracking_number in other.detail


@pytest.mark.django_db
def test_automatic_mail_is_left_alone(imap):
    imap.deliver(USER, mail("Out of office", "ไม่อยู่", message_id="<o1@example.com>",
                            headers={"Auto-Submitted": "auto-replied"}))
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"], report["Subject"], report["Message-ID"] = "MAILER-DAEMON@example.com", "Undelivered", "<d1@x>"
    report.attach(MIMEText("could not deliver", "plain"))
    imap.deliver(USER, report.as_bytes())
    assert mailbox_poll() == {"case": 0, "message": 0, "ignored": 2, "refused": 0}
    assert Case.objects.count() == 0 and seen(imap) == [True, True]


@pytest.mark.django_db
def test_a_message_too_large_or_broken_does_not_hold_up_the_others(imap, settings):
    settings.MAILBOX_MAX_BYTES = 20_000
    imap.deliver(USER, mail("ใหญ่เกิน", "x", message_id="<big@example.com>",
                            files=[("big.pdf", PDF + b"0" * 30_000, "application", "pdf")]))
    settings.MAILBOX_CATEGORY = "no-such-category"  # every new case is refused: the reader must go on regardless
    imap.deliver(USER, mail("หมวดหมู่ผิด", "x", message_id="<bad@example.com>"))
    assert mailbox_poll() == {"case": 0, "message": 0, "ignored": 0, "refused": 2}
    assert seen(imap) == [True, True] and Case.objects.count() == 0
    settings.MAILBOX_CATEGORY = "other"
    imap.deliver(USER, mail("เรื่องปกติ", "ข้อความ", message_id="<ok@example.com>"))
    assert mailbox_poll()["case"] == 1


@pytest.mark.django_db(transaction=True)
def test_beat_task_through_a_real_worker(imap, demo, worker_process):  # noqa: F811 - fixtures from tests/workers
    imap.deliver(USER, mail("ไฟฟ้าดับในโรงเรียน", "ไฟฟ้าดับทั้งวัน", message_id="<w1@example.com>"))
    current_app.send_task("mailbox.poll")
    deadline = time.monotonic() + 90
    while not Case.objects.filter(channel="email").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    case = Case.objects.get(channel="email")
    assert case.title == "ไฟฟ้าดับในโรงเรียน"
    while not all(seen(imap)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert seen(imap) == [True]


from tests.workers.conftest import task_results, worker_process  # noqa: E402, F401 - fixtures


@pytest.mark.django_db
def test_broken_mime_is_taken_as_far_as_it_reads(imap):
    broken = (b"From: parent@example.com\r\nSubject: =?x-unknown?B?!!!?=\r\nMessage-ID: <broken@example.com>\r\n"
              b"Content-Type: multipart/mixed; boundary=\"never-closed\"\r\n\r\n--never-closed\r\n"
              b"Content-Type: text/plain; charset=tis-620\r\nContent-Transfer-Encoding: base64\r\n\r\n"
              b"this is not base64 at all ###\r\n")
    imap.deliver(USER, broken)
    imap.deliver(USER, mail("หลังเรื่องเสีย", "ข้อความ", message_id="<after@example.com>"))
    counts = mailbox_poll()
    assert counts["case"] + counts["refused"] == 2 and seen(imap) == [True, True]
    assert InboundMail.objects.filter(message_id__startswith="<after@example.com>|", outcome="case").exists()


@pytest.mark.django_db
def test_what_a_stranger_can_write_never_stops_the_mailbox_nor_speaks_for_a_citizen(imap):
    imap.deliver(USER, mail("ครูไม่เข้าสอน", "เรื่องแรก", message_id="<v1@example.com>", sender="victim@example.com"))
    mailbox_poll()
    case = Case.objects.get()
    poison = (b"From: someone@example.com\r\nSubject: =?utf-8?q?hello=00world?=\r\nMessage-ID: <nul@example.com>\r\n"
              b"\r\nbody with a NUL \x00 inside\r\n")
    imap.deliver(USER, poison)
    # A display name made to look like the citizen's address, and a Reply-To: neither is their address.
    imap.deliver(USER, mail(f"Re: {case.tracking_number}", "ปลอมตัว", message_id="<s1@evil.example>",
                            sender="=?utf-8?q?victim=40example.com?= <attacker@evil.example>"))
    imap.deliver(USER, mail(f"Re: {case.tracking_number}", "ปลอมตัว", message_id="<s2@evil.example>",
                            sender="nobody", headers={"Reply-To": "victim@example.com"}))
    # A guessed Message-ID of a real message to come does not pre-empt it.
    imap.deliver(USER, mail("ชิงก่อน", "x", message_id="<real@example.com>", sender="attacker@evil.example"))
    imap.deliver(USER, mail("เรื่องจริง", "ข้อความจริง", message_id="<real@example.com>", sender="parent@example.com"))
    imap.deliver(USER, mail("Re: CR-0000-0000-0000", "เบาะแส", message_id="<cr@example.com>"))
    counts = mailbox_poll()
    assert all(seen(imap))
    assert not CaseEvent.objects.filter(case=case, type="citizen_message").exists()
    assert Case.objects.filter(title="เรื่องจริง").exists()
    assert not Case.objects.filter(title__contains="CR-").exists()
    assert counts["refused"] >= 1 and sum(counts.values()) == 6
    imap.deliver(USER, mail("หลังจากนั้น", "ยังอ่านต่อได้", message_id="<later@example.com>"))
    assert mailbox_poll()["case"] == 1
