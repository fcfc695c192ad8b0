"""The supervisor summary: counts per unit and officer, on-time rate, median clock times without pauses."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Case, SlaClock
from tests.conftest import put_in_status, submit, user_named

pytestmark = pytest.mark.django_db


def answered(officer, *, acknowledge_minutes: float, resolve_minutes: float, paused_minutes: float = 0):
    """A complaint answered by ``officer`` in personnel with given clock times (24x7 for exact numbers)."""
    case = put_in_status(submit().case, "responded", unit="personnel", assignee=officer)
    start = timezone.now() - timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(responded_at=start + timedelta(minutes=resolve_minutes + paused_minutes))
    for clock in SlaClock.objects.filter(case=case):
        minutes = acknowledge_minutes if clock.kind == "acknowledge" else resolve_minutes + paused_minutes
        # used_seconds as the engine records it when the clock is met, pauses left out (workflows.sla; measured
        # on real transitions in tests/core/test_statistics.py).
        used = acknowledge_minutes if clock.kind == "acknowledge" else resolve_minutes
        SlaClock.objects.filter(pk=clock.pk).update(calendar="24x7", started_at=start, paused_since=None,
                                                    met_at=start + timedelta(minutes=minutes), used_seconds=used * 60)
        if clock.kind == "resolve" and paused_minutes:
            clock.pauses.create(started_at=start + timedelta(minutes=1),
                                ended_at=start + timedelta(minutes=1 + paused_minutes), reason="awaiting_citizen")
    return case


def test_summary_per_unit_and_officer(staff, demo):
    officer1 = user_named("officer1")
    answered(officer1, acknowledge_minutes=30, resolve_minutes=60)
    answered(officer1, acknowledge_minutes=90, resolve_minutes=120, paused_minutes=600)  # pause not counted
    late = put_in_status(submit().case, "in_progress", unit="personnel", assignee=officer1)
    Case.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - timedelta(minutes=5), escalation_level=1)
    put_in_status(submit(priority="urgent").case, "in_progress", unit="personnel", assignee=officer1)
    put_in_status(submit().case, "in_progress", unit="finance")

    response = staff("supervisor1").get("/api/v1/supervisor/summary/")
    assert response.status_code == 200
    body = response.json()
    personnel = next(row for row in body["units"] if row["unit"] == "personnel")
    assert (personnel["open"], personnel["overdue"], personnel["escalated"]) == (4, 1, 1)
    assert personnel["median_acknowledge_seconds"] == 60 * 60
    assert personnel["median_resolve_seconds"] == 90 * 60
    assert personnel["resolved"] == 2 and personnel["met_on_time_rate"] == 1.0
    assert "finance" not in {row["unit"] for row in body["units"]}  # not supervisor1's unit
    officer = next(row for row in body["officers"] if row["username"] == "officer1")
    assert officer["workload"] == 2 + 5  # the two unanswered open cases: normal and urgent


def test_who_may_see_the_summary(staff, demo):
    assert staff("officer1").get("/api/v1/supervisor/summary/").status_code == 403
    assert staff("clerk1").get("/api/v1/supervisor/summary/").status_code == 403
    for username in ("supervisor1", "director", "auditor1", "integrity1"):
        assert staff(username).get("/api/v1/supervisor/summary/").status_code == 200
    assert staff("director").get("/api/v1/supervisor/summary/?days=0").status_code == 400
    assert staff("director").get("/api/v1/supervisor/summary/?days=abc").status_code == 400
