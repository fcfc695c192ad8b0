"""The intake's one-statement insert writes exactly what the ORM's save would; rows_set writes each row's own values."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.bulk import FEW_ROWS, instance_insert, rows_set
from core.models import Case, SlaClock
from tests.conftest import submit


def test_an_inserted_case_reads_back_field_for_field(demo):
    template = submit(contact={"name": "ผู้ปกครอง", "email": "parent@example.com"}).case
    fields = [field for field in Case._meta.concrete_fields if not field.primary_key]
    copy = Case(**{field.attname: getattr(template, field.attname) for field in fields})
    copy.tracking_number = "CM-TEST-0000-0001"
    instance_insert(copy)
    assert copy.pk and copy.pk != template.pk and not copy._state.adding
    stored = Case.objects.get(pk=copy.pk)
    assert {field.attname: getattr(stored, field.attname) for field in fields} == \
        {field.attname: getattr(copy, field.attname) for field in fields}


@pytest.mark.parametrize("count", [1, FEW_ROWS + 1])
def test_rows_set_writes_each_row_its_own_values_in_one_statement_or_by_copy(demo, count):
    """Few rows go in one UPDATE ... FROM (VALUES ...), many through COPY; both write the same."""
    cases = [submit().case for _ in range(count)]
    others = [submit().case]
    due = timezone.now() + timedelta(days=3)
    for index, case in enumerate(cases):
        case.title, case.sla_due_at, case.event_head_seq = f"เรื่อง {index}", due + timedelta(minutes=index), index + 7
    clocks = list(SlaClock.objects.filter(case__in=cases))
    for clock in clocks:
        clock.ladder, clock.steps_applied = [{"percent": 50, "level": 0}], 1
    rows_set(Case, cases, ["title", "sla_due_at", "event_head_seq"])
    rows_set(SlaClock, clocks, ["ladder", "steps_applied"])
    for index, case in enumerate(cases):
        assert Case.objects.values_list("title", "sla_due_at", "event_head_seq").get(pk=case.pk) == (
            f"เรื่อง {index}", due + timedelta(minutes=index), index + 7)
    assert set(SlaClock.objects.filter(case__in=cases).values_list("steps_applied", flat=True)) == {1}
    assert SlaClock.objects.filter(case__in=cases, ladder=[{"percent": 50, "level": 0}]).count() == len(clocks)
    assert Case.objects.get(pk=others[0].pk).title == others[0].title  # nothing else is touched
