"""The per-process configuration copy is exact: any committed change, by any connection, by the ORM or by
plain SQL, is seen at the next read, and a rolled-back change never is."""

from datetime import date

import psycopg
import pytest
from django.db import connection, transaction

from core.config_cache import calendars, config_snapshot
from core.models import Category, OfficeClosure, SlaPolicy, Unit


def test_an_unchanged_configuration_costs_one_primary_key_read(demo, django_assert_num_queries):
    first = config_snapshot()
    with django_assert_num_queries(1):
        again = config_snapshot()
    assert again is first
    assert first.category("complaint", "teacher-conduct").code == "teacher-conduct"


def test_a_change_through_the_orm_is_seen_at_the_next_read(demo):
    assert config_snapshot().category("complaint", "teacher-conduct") is not None
    Category.objects.filter(kind="complaint", code="teacher-conduct").update(active=False)
    assert config_snapshot().category("complaint", "teacher-conduct") is None


def test_a_change_in_plain_sql_is_seen_too(demo):
    policy = config_snapshot().sla_policy_for("complaint", None, "normal")
    assert policy is not None
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_slapolicy SET active = false")
    assert config_snapshot().sla_policy_for("complaint", None, "normal") is None


def test_a_rolled_back_change_is_never_served_later(demo):
    closed = date(2031, 3, 4)
    other = date(2031, 3, 5)
    with pytest.raises(RuntimeError), transaction.atomic():
        OfficeClosure.objects.create(day=closed, reason="rolled back")
        assert closed in calendars().business.closures  # the changing transaction sees its own change
        raise RuntimeError
    OfficeClosure.objects.create(day=other, reason="kept")
    closures = calendars().business.closures
    assert other in closures and closed not in closures


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_another_connection_is_seen(demo):
    assert config_snapshot().category("complaint", "teacher-conduct") is not None
    settings = connection.settings_dict
    with psycopg.connect(host=settings["HOST"], port=settings["PORT"], user=settings["USER"],
                         dbname=settings["NAME"], autocommit=True) as other:
        other.execute("UPDATE core_category SET name_th = 'เปลี่ยนแล้ว' WHERE code = 'teacher-conduct'")
    assert config_snapshot().category("complaint", "teacher-conduct").name_th == "เปลี่ยนแล้ว"


def test_the_most_specific_policy_wins(demo):
    category = Category.objects.get(kind="complaint", code="teacher-conduct")
    general = SlaPolicy.objects.filter(kind="complaint", category=None, priority="").first()
    specific = SlaPolicy.objects.create(name="urgent teacher", kind="complaint", category=category, priority="urgent",
                                        calendar=general.calendar, acknowledge_value=1, acknowledge_unit="business_hours",
                                        resolve_value=2, resolve_unit="business_days", ladder=general.ladder)
    snapshot = config_snapshot()
    assert snapshot.sla_policy_for("complaint", category.pk, "urgent") == specific
    assert snapshot.sla_policy_for("complaint", category.pk, "normal") == general


def test_a_units_round_robin_pointer_is_not_configuration_but_the_rest_is(demo):
    first = config_snapshot()
    Unit.objects.filter(code="finance").update(last_assignee_id=1)
    assert config_snapshot() is first
    Unit.objects.update(receives_unrouted=False)
    assert config_snapshot().fallback_unit is None
