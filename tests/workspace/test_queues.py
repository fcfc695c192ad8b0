"""The queue pages: tabs with counts, the API's filters, the deadline in words, keyset paging, and bulk
reassignment (all or nothing)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Case, CaseEvent
from tests.conftest import put_in_status, submit, user_named
from tests.workspace.conftest import post
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db


def working(**overrides) -> Case:
    return put_in_status(submit(**overrides).case, "in_progress", unit="personnel", assignee=user_named("officer1"))


def test_tabs_count_each_queue_and_rows_say_the_deadline_in_words(desk):
    late, soon = working(), working(title="ขอให้ซ่อมรั้วโรงเรียน")
    Case.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - timedelta(days=6),
                                           sla_warn_at=timezone.now() - timedelta(days=9))
    Case.objects.filter(pk=soon.pk).update(sla_due_at=timezone.now() + timedelta(days=7),
                                           sla_warn_at=timezone.now() + timedelta(days=5))
    page = desk("officer1").get("/staff/")
    text = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert 'aria-current="page">ของฉัน' in text  # an officer starts on their own cases
    assert late.tracking_number in text and soon.tracking_number in text
    assert "เกินกำหนด 6 วัน" in text and "เหลือ" in text and "วันทำการ" in text
    assert 'class="deadline overdue"' in text  # colour, and the words and a symbol besides it
    assert 'data-queue-count="overdue">1<' in text


def test_filters_search_and_refuse_bad_values_in_thai(desk):
    case = working(title="รถรับส่งนักเรียนมาสาย")
    working()
    client = desk("supervisor1")
    found = client.get("/staff/", {"queue": "unit", "q": "รถรับส่ง"}).content.decode()
    assert case.tracking_number in found and found.count('class="tracking"') == 1
    assert client.get("/staff/", {"queue": "unit", "status": "closed"}).content.decode().count('class="tracking"') == 0
    bad = client.get("/staff/", {"status": "bogus", "submitted_after": "31/12/2569"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "เลือก" in text or "ไม่ถูกต้อง" in text
    assert client.get("/staff/", {"cursor": "not-a-cursor"}).status_code == 400


def test_pages_follow_the_keyset_without_repeating_a_case(desk):
    for _ in range(55):
        working()
    client = desk("officer1")
    first = client.get("/staff/", {"queue": "mine"}).content.decode()
    assert first.count('class="tracking"') == 50 and 'rel="next"' in first
    next_query = first.split('rel="next"')[0].rsplit('href="?', 1)[1].split('"')[0].replace("&amp;", "&")
    second = client.get(f"/staff/?{next_query}").content.decode()
    numbers = lambda text: {chunk.split("<")[0] for chunk in text.split('class="tracking" href="/staff/cases/')[1:]}  # noqa: E731
    assert len(numbers(second)) >= 5 and not numbers(first) & numbers(second)


def test_a_head_reassigns_in_bulk_and_a_refused_case_moves_none(desk):
    mine = [working() for _ in range(2)]
    other = put_in_status(submit().case, "in_progress", unit="finance")  # not supervisor1's unit
    client = desk("supervisor1")
    refused = post(client, "/staff/reassign/", {"cases": [mine[0].tracking_number, other.tracking_number],
                                                "assignee": "supervisor1"}, follow=True)
    assert "ไม่มีเรื่องใดถูกโอน" in refused.content.decode()
    assert not CaseEvent.objects.filter(type="reassign").exists()
    done = post(client, "/staff/reassign/", {"cases": [c.tracking_number for c in mine], "assignee": "supervisor1"},
                follow=True)
    assert "โอน 2 เรื่อง" in done.content.decode()
    assert {c.assignee.username for c in Case.objects.filter(pk__in=[c.pk for c in mine])} == {"supervisor1"}
    nothing = post(client, "/staff/reassign/", {"assignee": "officer1"}, follow=True)
    assert "เลือกอย่างน้อยหนึ่งเรื่อง" in nothing.content.decode()


def test_cases_on_hold_show_their_reason_in_the_queue(desk):
    case = working()
    case_transition(tracking=case.tracking_number, name="hold", actor=user_named("officer1"),
                    params={"waiting_reason": "awaiting_budget"})
    text = desk("officer1").get("/staff/").content.decode()
    assert "รอดำเนินการ" in text and "รองบประมาณ" in text


def test_what_a_citizen_typed_is_shown_as_text_never_as_markup(desk):
    hostile = '<img src=x onerror="alert(1)"> & "ครู"'
    working(title=hostile)
    for username in ("officer1", "supervisor1"):  # a plain row, and one with a box to tick
        text = desk(username).get("/staff/?queue=all").content.decode()
        assert "<img src=x" not in text and 'onerror="alert' not in text
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;ครู&quot;" in text
