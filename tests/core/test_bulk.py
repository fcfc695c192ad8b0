"""The intake's one-statement insert writes exactly what the ORM's save would."""

from core.bulk import instance_insert
from core.models import Case
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
