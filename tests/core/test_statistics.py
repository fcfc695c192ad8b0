"""The statistics service (core/statistics.py) against a fiscal year of cases with known answers.

Fiscal year 2569 (October 2025 – September 2026) is lived through in test time with the real services: intake,
transitions, a pause for the citizen, a reopening, the SLA sweep's escalation, ratings, a merge, two sealed
corruption reports, and no case at all from January on. Every figure is then checked against the numbers worked out
by hand below. All times are on office days with no holiday (Bangkok), so that business days are easy to count: one
business day is 8 office hours (08:30–16:30).
"""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import translation

from core.calendar import BANGKOK, BusinessCalendar
from core.errors import ValidationFailed
from core.models import Case, StatisticsSnapshot
from core.periods import period_parse
from core.statistics import period_for_statistics, period_statistics, scope_check, statistics_snapshots_refresh
from tests.conftest import submit, user_named
from workflows.citizen import citizen_feedback_give
from workflows.sla_sweep import sla_apply_due_steps
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db

AFTER_THE_YEAR = datetime(2026, 10, 15, 12, 0, tzinfo=BANGKOK)


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2025) -> datetime:
    moment = datetime(year, month, day, hour, minute, tzinfo=BANGKOK)
    assert BusinessCalendar().is_business_day(moment.date()), moment  # the hand counts assume an office day
    return moment


def received(moment: datetime, kind: str = "complaint", **fields):
    with time_machine.travel(moment, tick=False):
        return submit(kind, **fields)


def move(case: Case, moment: datetime, name: str, actor: str, **params) -> None:
    with time_machine.travel(moment, tick=False):
        case_transition(tracking=case.tracking_number, name=name, actor=user_named(actor), params=params)


def rate(receipt, moment: datetime, score: int) -> None:
    with time_machine.travel(moment, tick=False):
        citizen_feedback_give(tracking=receipt.case.tracking_number, access_key=receipt.access_key, score=score)


@pytest.fixture
def year(demo):
    """The cases of fiscal year 2569, named A–I, plus one just before it and one just after."""
    # A (October, web): acknowledged after 1.0 business day, answered after 3.0; rated 5.
    a = received(at(10, 6, 9))
    move(a.case, at(10, 6, 9, 5), "assign", "supervisor1", assignee="officer1")
    move(a.case, at(10, 7, 9), "accept", "officer1")
    move(a.case, at(10, 9, 9), "respond", "officer1", reply="ดำเนินการแล้ว")
    rate(a, at(10, 10, 9), 5)
    # B (November, phone): acknowledged after 2.0 (late); waits for the citizen Wed 10:00 – Mon 10:00 (not counted);
    # answered Tue 10:00 after 3.125; reopened Wed 10:00 (the day between answer and reopening is not counted);
    # answered again Thu 10:00: 4.125 in all. Rated 2.
    b = received(at(11, 3, 9), channel="phone")
    move(b.case, at(11, 3, 9, 5), "assign", "supervisor1", assignee="officer1")
    move(b.case, at(11, 5, 9), "accept", "officer1")
    move(b.case, at(11, 5, 10), "request_info", "officer1", question="โปรดระบุชื่อโรงเรียน")
    move(b.case, at(11, 10, 10), "resume", "officer1")
    move(b.case, at(11, 11, 10), "respond", "officer1", reply="ดำเนินการแล้ว")
    move(b.case, at(11, 12, 10), "reopen", "supervisor1")
    move(b.case, at(11, 13, 10), "respond", "officer1", reply="แก้ไขแล้ว")
    rate(b, at(11, 14, 10), 2)
    # C (November, web): acknowledged after 0.5; the sweep escalates it at its deadline (15 business days);
    # answered after 18.0 (late). Not rated.
    c = received(at(11, 4, 9))
    move(c.case, at(11, 4, 9, 5), "assign", "supervisor1", assignee="officer1")
    move(c.case, at(11, 4, 13), "accept", "officer1")
    with time_machine.travel(at(11, 26, 9, 30), tick=False):
        sla_apply_due_steps()
    move(c.case, at(11, 28, 9), "respond", "officer1", reply="ดำเนินการแล้ว")
    # D (November, a suggestion): considered after 0.25, adopted after 2.25; rated 4.
    d = received(at(11, 17, 9), "suggestion")
    move(d.case, at(11, 17, 9, 5), "assign", "director", assignee="officer1")
    move(d.case, at(11, 17, 11), "consider", "officer1")
    move(d.case, at(11, 19, 11), "adopt", "officer1", answer="นำไปปฏิบัติ")
    rate(d, at(11, 20, 11), 4)
    # E (December, letter): acknowledged after 1.0, never answered: overdue at the end of the year.
    e = received(at(12, 1, 9), channel="letter")
    move(e.case, at(12, 1, 9, 5), "assign", "supervisor1", assignee="officer1")
    move(e.case, at(12, 2, 9), "accept", "officer1")
    # F (December): rejected after 0.75 (which acknowledges and answers at once).
    f = received(at(12, 8, 9))
    move(f.case, at(12, 8, 9, 5), "assign", "supervisor1", assignee="officer1")
    move(f.case, at(12, 8, 15), "reject", "officer1", reason="อยู่นอกอำนาจหน้าที่")
    # I (December): a duplicate of E, merged after 0.125: its clocks stop there.
    i = received(at(12, 3, 9))
    move(i.case, at(12, 3, 10), "merge", "supervisor1", duplicate_of=e.case.tracking_number)
    # G and H (February 2026, sealed): G dismissed (the public sees fact-finding until the conclusion),
    # H referred for inquiry and concluded.
    g = received(at(2, 2, 9, year=2026), "corruption")
    h = received(at(2, 3, 9, year=2026), "corruption")
    for report in (g, h):
        move(report.case, at(2, 3, 10, year=2026), "assign", "integrity1", assignee="integrity1")
        move(report.case, at(2, 3, 11, year=2026), "accept", "integrity1")
    move(g.case, at(2, 4, 11, year=2026), "dismiss", "integrity1", reason="ไม่พบข้อเท็จจริง")
    move(h.case, at(2, 4, 11, year=2026), "refer_for_inquiry", "integrity1")
    move(h.case, at(2, 5, 11, year=2026), "conclude", "integrity1", summary="ได้ข้อยุติแล้ว")
    # Outside the year: the last minute of fiscal 2568 and the first day of fiscal 2570.
    received(datetime(2025, 9, 30, 23, 59, tzinfo=BANGKOK))
    received(datetime(2026, 10, 1, 9, 0, tzinfo=BANGKOK))
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "G": g, "H": h, "I": i}


def figures(code: str = "2569", **options) -> dict:
    return period_statistics(period_parse(code), now=AFTER_THE_YEAR, **options)


def test_counts_of_the_year(year):
    stats = figures()
    assert stats["empty"] is False
    # Completed: answered (A, B, C, D, F, H) or no more work (I merged). In progress: E, and G (dismissed, not concluded).
    assert stats["totals"] == {"received": 9, "completed": 7, "in_progress": 2, "reopened": 1, "escalated": 1}
    assert [(row["kind"], row["received"], row["completed"], row["in_progress"]) for row in stats["by_kind"]] == [
        ("complaint", 6, 5, 1), ("suggestion", 1, 1, 0), ("corruption", 2, 1, 1)]
    assert [(row["channel"], row["received"]) for row in stats["by_channel"]] == [
        ("web", 5), ("letter", 1), ("phone", 1)]  # sealed reports are not in it
    assert [(row["kind"], row["category"], row["received"], row["completed"]) for row in stats["by_category"]] == [
        ("complaint", "teacher-conduct", 6, 5), ("suggestion", "office-service", 1, 1)]
    # Personnel: A–F (D's officer is in it); I was merged before routing. Answered on time: A, B, D, F; late: C.
    assert [(row["unit"], row["received"], row["completed"], row["resolve"]["on_time"], row["resolve"]["late"])
            for row in stats["by_unit"]] == [("personnel", 6, 5, 4, 1), (None, 1, 1, 1, 0)]


def test_statuses_hide_what_a_sealed_report_has_not_concluded(year):
    stats = figures()
    assert {(row["kind"], row["status"]): row["received"] for row in stats["by_status"]} == {
        ("complaint", "in_progress"): 1, ("complaint", "responded"): 3, ("complaint", "rejected"): 1,
        ("complaint", "merged"): 1, ("suggestion", "adopted"): 1,
        ("corruption", "fact_finding"): 1, ("corruption", "concluded"): 1}
    assert stats["sealed"]["received"] == 2 and stats["sealed"]["completed"] == 1
    assert [(row["status"], row["received"]) for row in stats["sealed"]["by_status"]] == [
        ("fact_finding", 1), ("concluded", 1)]


def test_months_including_those_with_no_case(year):
    months = figures()["months"]
    assert [month["period"] for month in months] == [
        "2568-10", "2568-11", "2568-12", "2569-01", "2569-02", "2569-03", "2569-04", "2569-05", "2569-06",
        "2569-07", "2569-08", "2569-09"]
    assert [(month["received"], month["sealed"]) for month in months[:5]] == [(1, 0), (3, 0), (3, 0), (0, 0), (0, 2)]
    assert months[2]["completed"] == 2 and months[2]["in_progress"] == 1  # December: F and I done, E not
    assert all(month["received"] == 0 for month in months[5:])
    assert months[3]["label"] == "ม.ค. 2569"


def test_clocks_count_paused_and_answered_time_out(year):
    stats = figures()
    acknowledge, resolve = stats["clocks"]["acknowledge"], stats["clocks"]["resolve"]
    # Acknowledged after A 1.0, B 2.0 (late), C 0.5, D 0.25, E 1.0, F 0.75, I 0.125 business days.
    assert (acknowledge["on_time"], acknowledge["late"], acknowledge["overdue"]) == (6, 1, 0)
    assert (acknowledge["median_days"], acknowledge["p90_days"]) == (0.75, 1.4)
    # Answered after A 3.0, B 4.125, C 18.0 (late), D 2.25, F 0.75, I 0.125; E is overdue.
    assert (resolve["on_time"], resolve["late"], resolve["overdue"], resolve["running"]) == (5, 1, 1, 1)
    assert (resolve["median_days"], resolve["p90_days"]) == (2.62, 11.06)  # 2.625 and 11.0625, rounded
    assert resolve["on_time_rate"] == round(5 / 6, 3)
    by_kind = {row["kind"]: row for row in stats["times_by_kind"]}
    assert set(by_kind) == {"complaint", "suggestion"}  # sealed reports' times are not described
    assert by_kind["suggestion"]["resolve"]["median_days"] == 2.25


def test_satisfaction(year):
    satisfaction = figures()["satisfaction"]
    # Answered: A, B, C, D, F (I was merged, not answered). Rated: A 5, B 2, D 4.
    assert satisfaction["answered"] == 5 and satisfaction["rated"] == 3
    assert satisfaction["response_rate"] == 0.6 and satisfaction["average"] == 3.67
    assert [row["count"] for row in satisfaction["distribution"]] == [0, 1, 0, 1, 1]


def test_a_half_a_quarter_and_a_month(year):
    assert figures("2569-H1")["totals"]["received"] == 9
    assert figures("2569-H2")["empty"] is True
    assert figures("2569-Q1")["totals"]["received"] == 7
    november = figures("2568-11")
    assert november["totals"]["received"] == 3 and [m["period"] for m in november["months"]] == ["2568-11"]
    assert november["totals"]["reopened"] == 1


def test_the_corruption_report_alone(year):
    stats = figures(scope="corruption")
    assert stats["totals"]["received"] == 2 and stats["by_channel"] == [] and stats["by_unit"] == []
    assert stats["clocks"]["resolve"]["on_time"] == 0 and stats["satisfaction"]["rated"] == 0


def test_an_empty_period_says_so(demo):
    stats = figures("2560")
    assert stats["empty"] is True and stats["totals"]["received"] == 0
    assert len(stats["months"]) == 12 and stats["by_kind"] == []
    assert stats["clocks"]["resolve"]["median_days"] is None and stats["satisfaction"]["average"] is None


def test_a_period_not_yet_begun_is_refused(demo):
    with pytest.raises(ValidationFailed) as refused:
        period_for_statistics("2571", now=AFTER_THE_YEAR)
    assert "period" in refused.value.fields
    assert period_for_statistics("2570", now=AFTER_THE_YEAR).code == "2570"  # begun: its figures so far


def test_labels_follow_the_reader_language(year):
    with translation.override("en"):
        english = figures()
    thai = figures()
    assert english["period"]["label"] == "Fiscal year 2026 (Oct 2025 – Sep 2026)"
    assert thai["period"]["label"].startswith("ปีงบประมาณ พ.ศ. 2569")
    assert [row["label"] for row in english["by_kind"]][:2] == ["Complaint", "Suggestion / opinion"]
    assert thai["by_channel"][0]["label"] == "เว็บไซต์"


def test_a_snapshot_is_read_until_it_is_too_old(year):
    first = figures()
    received(AFTER_THE_YEAR - timedelta(days=200))  # March 2026
    assert figures()["totals"] == first["totals"]  # the snapshot of a moment ago
    assert period_statistics(period_parse("2569"), now=AFTER_THE_YEAR + timedelta(hours=1))["totals"][
        "received"] == 10


def test_beat_refreshes_the_current_periods(demo):
    now = datetime(2026, 1, 15, 10, 0, tzinfo=BANGKOK)
    figures("2569", scope="corruption")  # a scope someone has read
    refreshed = statistics_snapshots_refresh(now=now)
    assert set(refreshed) == {f"{code}:{scope}" for code in ("2569", "2569-H1", "2569-Q2", "2569-01", "2568-12")
                              for scope in ("all", "corruption")}
    assert StatisticsSnapshot.objects.get(key="2569:all").computed_at == now


def test_an_unknown_scope_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        scope_check("everything")
    assert "scope" in refused.value.fields


def test_a_settled_year_is_read_from_its_snapshot_for_a_day(year):
    later = AFTER_THE_YEAR + timedelta(days=200)
    first = period_statistics(period_parse("2569"), now=later)
    received(AFTER_THE_YEAR - timedelta(days=200))  # March 2026
    assert period_statistics(period_parse("2569"), now=later + timedelta(hours=2))["totals"] == first["totals"]
    assert period_statistics(period_parse("2569"), now=later + timedelta(hours=25))["totals"]["received"] == 10
