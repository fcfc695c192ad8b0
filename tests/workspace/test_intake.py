"""Staff intake for the recorded channels, with a receipt shown once."""

import pytest

from core.models import Case, CaseEvent
from tests.workspace.conftest import post

pytestmark = pytest.mark.django_db

PHONE_CALL = {"kind": "complaint", "channel": "phone", "category": "complaint:other", "priority": "normal",
              "title": "โทรแจ้งครูไม่เข้าสอน", "description": "ผู้ปกครองโทรแจ้งว่าครูไม่เข้าสอนสามวัน",
              "contact_name": "นางสมศรี", "contact_phone": "0812345678", "language": "th"}


def test_a_clerk_records_a_phone_complaint_and_gets_the_receipt_once(desk):
    client = desk("clerk1")
    form = client.get("/staff/intake/").content.decode()
    assert "ศูนย์ดำรงธรรม" in form and 'value="web"' not in form  # the recorded channels, not the website
    answer = post(client, "/staff/intake/", PHONE_CALL)
    assert answer.status_code == 302
    receipt = client.get(answer["Location"])
    text = receipt.content.decode()
    case = Case.objects.get(title=PHONE_CALL["title"])
    assert case.tracking_number.split("-")[1] in text and 'id="access-key"' in text and "<svg" in text
    assert (case.channel, case.recorded_by.username) == ("phone", "clerk1")
    again = client.get(answer["Location"])
    assert again.status_code == 302  # shown once


def test_a_case_sent_by_an_agency_keeps_its_letter(desk):
    data = {**PHONE_CALL, "channel": "damrongdham", "received_from": "damrongdham",
            "received_letter_number": "นม 0017.2/999", "received_letter_date": "2026-11-20"}
    assert post(desk("clerk1"), "/staff/intake/", data).status_code == 302
    case = Case.objects.get(title=PHONE_CALL["title"])
    assert (case.received_from.code, case.received_letter_number) == ("damrongdham", "นม 0017.2/999")


def test_bad_input_is_refused_next_to_the_field_and_nothing_is_recorded(desk):
    before = CaseEvent.objects.count()
    answer = post(desk("clerk1"), "/staff/intake/", {**PHONE_CALL, "title": "", "category": "suggestion:other",
                                                     "contact_email": "not-an-email"})
    text = answer.content.decode()
    assert answer.status_code == 400 and "กรุณากรอกข้อมูลในช่องนี้" in text and "นางสมศรี" in text
    assert CaseEvent.objects.count() == before
