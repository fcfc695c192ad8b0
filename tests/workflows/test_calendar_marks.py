"""A calendar change and the recompute it asks for are marked in their own table (not the sweep's
heartbeat); a lost recompute is noticed and the recompute moves open deadlines through the writer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import CalendarMark, Case, Heartbeat
from tests.conftest import submit
from workflows.closures import calendar_recompute_pending, closure_add
from workflows.sla_sweep import sla_recompute_open

pytestmark = pytest.mark.django_db


def test_a_closure_marks_the_calendar_changed_and_the_recompute_clears_it(demo):
    case = submit(category_code="admission").case
    due_before = Case.objects.get(pk=case.pk).resolve_due_at
    first_day = timezone.localdate(due_before) - timedelta(days=1)
    while first_day.weekday() >= 5:  # a weekday before the deadline, so that closing it moves the deadline
        first_day -= timedelta(days=1)
    closure_add(day=first_day, reason="ปิดสำนักงาน")
    assert CalendarMark.objects.filter(name="calendar_changed").exists()
    assert not Heartbeat.objects.filter(name__startswith="calendar").exists()
    assert calendar_recompute_pending()
    assert sla_recompute_open(after_id=0, limit=10_000) is None
    assert not calendar_recompute_pending()
    assert Case.objects.get(pk=case.pk).resolve_due_at > due_before
