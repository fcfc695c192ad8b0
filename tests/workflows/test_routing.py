"""Routing rules, assignment strategies, idempotence and the unrouted sweep (docs/design.md, "Routing")."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.models import Case, CaseEvent, Membership, RoutingRule, Unit
from core.models.org import AssignmentStrategy
from tests.conftest import put_in_status, submit
from workflows.routing import (
    case_route,
    cases_unrouted,
    route_unrouted,
    routing_unit_for,
)

pytestmark = pytest.mark.django_db


def officers(unit_code: str, count: int) -> list:
    unit = Unit.objects.get(code=unit_code)
    users = []
    for n in range(count):
        user = get_user_model().objects.create_user(f"{unit_code}-officer{n}", email=f"{unit_code}{n}@example.go.th")
        Membership.objects.create(user=user, unit=unit)
        users.append(user)
    return users


def routed(case) -> Case:
    assert case_route(case_id=case.pk) is True
    return Case.objects.select_related("unit", "assignee").get(pk=case.pk)


def test_category_rules_route_to_their_unit(demo):
    assert routed(submit(category_code="teacher-conduct").case).unit.code == "personnel"
    assert routed(submit(category_code="admission").case).unit.code == "promotion"
    assert routed(submit("suggestion", category_code="education-quality").case).unit.code == "promotion"


def test_thai_keywords_match_inside_unspaced_text(demo):
    case = submit(category_code="other", title="สอบถาม", description="ยังไม่ได้รับเงินเดือนย้อนหลังสามเดือนแล้ว").case
    assert routing_unit_for(case).code == "finance"


def test_rules_are_tried_by_position_and_channel_counts(demo):
    RoutingRule.objects.create(name="LINE ไป ICT", position=1, channel="line", unit=Unit.objects.get(code="ict"))
    assert routing_unit_for(submit(channel="line", category_code="admission").case).code == "ict"
    assert routing_unit_for(submit(channel="web", category_code="admission").case).code == "promotion"


def test_unmatched_cases_go_to_the_fallback_unit(demo):
    case = submit(category_code="other", description="เรื่องทั่วไป").case
    assert routing_unit_for(case).code == "admin"


def test_corruption_reports_go_only_to_the_integrity_unit(demo):
    RoutingRule.objects.create(name="ทุกอย่างไปการเงิน", position=0, unit=Unit.objects.get(code="finance"))
    case = routed(submit("corruption").case)
    assert case.unit.is_integrity and case.assignee.username == "integrity1"


def test_round_robin_takes_turns(demo):
    Unit.objects.filter(code="finance").update(strategy=AssignmentStrategy.ROUND_ROBIN)
    team = officers("finance", 3)
    picks = [routed(submit(category_code="finance").case).assignee for _ in range(7)]
    assert picks == [team[0], team[1], team[2], team[0], team[1], team[2], team[0]]


def test_least_loaded_weighs_open_cases_by_priority(demo):
    Unit.objects.filter(code="finance").update(strategy=AssignmentStrategy.LEAST_LOADED)
    busy, light = officers("finance", 2)
    put_in_status(submit(priority="urgent").case, "in_progress", unit="finance", assignee=busy)   # weight 5
    for _ in range(2):
        put_in_status(submit(priority="normal").case, "in_progress", unit="finance", assignee=light)  # 2 x 2
    assert routed(submit(category_code="finance").case).assignee == light  # 4 < 5
    # answered cases no longer count as load
    Case.objects.filter(assignee=busy).update(responded_at=timezone.now())
    assert routed(submit(category_code="finance").case).assignee == busy


def test_manual_units_keep_cases_in_the_unit_queue(demo):
    case = routed(submit(category_code="buildings-safety").case)  # policy unit: manual
    assert (case.status, case.unit.code, case.assignee) == ("assigned", "policy", None)


def test_routing_twice_changes_nothing(demo):
    case = submit(category_code="teacher-conduct").case
    assert case_route(case_id=case.pk) is True
    assert case_route(case_id=case.pk) is False
    assert CaseEvent.objects.filter(case=case, type="assign").count() == 1
    assert case_route(case_id=999_999_999) is False


def test_the_assignment_is_audited_and_notified(demo):
    case = routed(submit(category_code="teacher-conduct").case)
    event = CaseEvent.objects.get(case=case, type="assign")
    assert (event.actor_kind, event.actor) == ("system", None)
    assert event.data["params"] == {"unit": "personnel", "assignee": "officer1"}
    assert sorted(event.notifications.values_list("template", "user__username", "channel")) == [
        ("assignment", "officer1", "email"), ("assignment", "officer1", "inbox")]


def test_the_sweep_finds_cases_the_fast_path_missed(demo):
    missed, fresh = submit().case, submit().case
    Case.objects.filter(pk=missed.pk).update(submitted_at=timezone.now() - timedelta(minutes=5))
    already = put_in_status(submit().case, "assigned", unit="personnel")
    Case.objects.filter(pk=already.pk).update(submitted_at=timezone.now() - timedelta(minutes=5))
    assert cases_unrouted(now=timezone.now(), limit=100) == [missed.pk]
    codecision = submit("codecision", unit_code="personnel").case
    Case.objects.filter(pk=codecision.pk).update(submitted_at=timezone.now() - timedelta(minutes=5))
    assert cases_unrouted(now=timezone.now(), limit=100) == [missed.pk]
    # once its grace period is over, the fresh one is due too
    assert set(cases_unrouted(now=timezone.now() + timedelta(minutes=5), limit=100)) == {missed.pk, fresh.pk}


def test_least_loaded_prefers_an_officer_with_no_cases_at_all(demo):
    Unit.objects.filter(code="finance").update(strategy=AssignmentStrategy.LEAST_LOADED)
    busy, idle = officers("finance", 2)
    put_in_status(submit(priority="low").case, "in_progress", unit="finance", assignee=busy)  # weight 1
    assert routed(submit(category_code="finance").case).assignee == idle


def test_a_case_no_unit_takes_is_retried_hourly_not_every_minute(demo):
    Unit.objects.update(receives_unrouted=False)
    case = submit(category_code="other", description="เรื่องทั่วไป").case
    Case.objects.filter(pk=case.pk).update(submitted_at=timezone.now() - timedelta(minutes=5))
    assert case_route(case_id=case.pk) is False
    assert cases_unrouted(now=timezone.now(), limit=10) == []
    assert cases_unrouted(now=timezone.now() + timedelta(hours=1, minutes=1), limit=10) == [case.pk]
    Unit.objects.filter(code="admin").update(receives_unrouted=True)  # the office fixes its rules
    assert route_unrouted(now=timezone.now() + timedelta(hours=2), limit=10) == 1
    assert Case.objects.get(pk=case.pk).unit.code == "admin"


def test_routing_one_case_takes_a_bounded_number_of_statements(demo, django_assert_max_num_queries):
    Unit.objects.filter(code="personnel").update(strategy=AssignmentStrategy.ROUND_ROBIN)
    warm, case = submit(category_code="teacher-conduct").case, submit(category_code="teacher-conduct").case
    case_route(case_id=warm.pk)  # reads the configuration copy once
    # BEGIN, case lock, configuration version, unit lock, candidates (with their addresses), round-robin
    # pointer, the case update with its new chain head, event, outbox, COMMIT (SAVEPOINTs under the test's
    # transaction).
    with django_assert_max_num_queries(11):
        assert case_route(case_id=case.pk) is True


def test_routing_keeps_the_configuration_copy_and_the_chain(demo):
    from core.audit import chain_verify
    from core.config_cache import config_snapshot

    Unit.objects.filter(code="finance").update(strategy=AssignmentStrategy.ROUND_ROBIN)
    officers("finance", 2)
    before = config_snapshot()
    case = routed(submit(category_code="finance").case)
    # The round-robin pointer moved; that is not a configuration change.
    assert config_snapshot() is before
    last = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert (last.type, case.event_head_seq, case.event_head_hash) == ("assign", last.seq, last.hash)
    assert chain_verify(case).ok
