"""Committees (issue 15, first step): quorum and majority as tables of counts, and members appointed and ended by the
director or an administrator, each change in the configuration log."""

from datetime import date

import pytest

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import Committee, CommitteeMember, ConfigChange, StakeholderGroup
from core.participation import quorum_met, quorum_needed, resolution_outcome
from tests.conftest import user_named
from workflows.participation import committee_member_add, committee_member_end, committee_serving


@pytest.mark.parametrize("rule,serving,needed", [
    ("half", 9, 5), ("half", 10, 5), ("half", 1, 1), ("more_than_half", 9, 5), ("more_than_half", 10, 6),
    ("two_thirds", 9, 6), ("two_thirds", 10, 7), ("two_thirds", 3, 2),
])
def test_quorum_needed(rule, serving, needed):
    assert quorum_needed(rule, serving) == needed
    assert quorum_met(rule, serving=serving, present=needed)
    assert not quorum_met(rule, serving=serving, present=needed - 1)


def test_no_quorum_without_serving_members():
    assert not quorum_met("half", serving=0, present=0)


@pytest.mark.parametrize("rule,votes,present,chair,adopted,casting", [
    ("simple", (5, 3), 9, None, True, False),
    ("simple", (3, 5), 9, None, False, False),
    ("simple", (4, 4), 9, "for", True, True),  # a tie: the chair's casting vote decides
    ("simple", (4, 4), 9, "against", False, True),
    ("simple", (4, 4), 9, None, False, False),  # a tie nobody decided does not carry
    ("simple", (1, 0), 9, None, True, False),  # abstentions do not count against
    ("two_thirds_present", (6, 3), 9, None, True, False),
    ("two_thirds_present", (5, 1), 9, None, False, False),  # 5 of 9 present is short of two thirds
    ("two_thirds_present", (0, 0), 0, None, False, False),
])
def test_resolution_outcome(rule, votes, present, chair, adopted, casting):
    outcome = resolution_outcome(rule, in_favour=votes[0], against=votes[1], present=present, chair_casts=chair)
    assert (outcome.adopted, outcome.casting_vote) == (adopted, casting)


@pytest.fixture
def committee(demo):
    return Committee.objects.create(code="school-boards", name_th="คณะกรรมการการศึกษาขั้นพื้นฐานระดับเขต",
                                    order_number="สพป.นว.1 ที่ 123/2569", order_date=date(2025, 11, 3))


@pytest.mark.django_db
def test_members_are_appointed_and_ended_with_each_change_logged(committee):
    parents = StakeholderGroup.objects.get(code="parents")  # (the demo office's)
    director = user_named("director")
    chair = committee_member_add(committee=committee, actor=director, name="นายประธาน ใจดี", position="chair",
                                 term_start=date(2025, 11, 3), user=user_named("committee1"))
    parent = committee_member_add(committee=committee, actor=director, name="นางผู้ปกครอง รักลูก",
                                  position="representative", term_start=date(2025, 11, 3), group=parents)
    committee_member_end(member_id=parent.pk, actor=director, term_end=date(2026, 5, 31), reason="ลาออก")
    assert [m.name for m in committee_serving(committee, date(2026, 5, 31))] == [chair.name, parent.name]
    assert [m.name for m in committee_serving(committee, date(2026, 6, 1))] == [chair.name]
    log = list(ConfigChange.objects.filter(model="core.CommitteeMember").order_by("pk"))
    assert [entry.action for entry in log] == ["create", "create", "update"]
    assert log[-1].before["term_end"] is None and log[-1].after["term_end"] == "2026-05-31"
    assert log[-1].actor == director


@pytest.mark.django_db
def test_only_the_director_and_administrators_manage_members(committee):
    for username in ("supervisor1", "officer1", "committee1", "auditor1"):
        with pytest.raises(PermissionDenied):
            committee_member_add(committee=committee, actor=user_named(username), name="ก", position="member",
                                 term_start=date(2026, 1, 1))
    assert committee_member_add(committee=committee, actor=user_named("admin"), name="ก", position="member",
                                term_start=date(2026, 1, 1)).pk


@pytest.mark.django_db
def test_bad_terms_are_refused_and_change_nothing(committee):
    director = user_named("director")
    member = committee_member_add(committee=committee, actor=director, name="นายสมาชิก", position="member",
                                  term_start=date(2026, 1, 1))
    before = ConfigChange.objects.count()
    with pytest.raises(ValidationFailed) as early:
        committee_member_end(member_id=member.pk, actor=director, term_end=date(2025, 12, 31), reason="คำสั่งใหม่")
    assert "term_end" in early.value.fields
    with pytest.raises(ValidationFailed) as no_reason:
        committee_member_end(member_id=member.pk, actor=director, term_end=date(2026, 3, 1), reason=" ")
    assert "end_reason" in no_reason.value.fields
    with pytest.raises(ValidationFailed) as unnamed:
        committee_member_add(committee=committee, actor=director, name="  ", position="member",
                             term_start=date(2026, 1, 1))
    assert "name" in unnamed.value.fields
    assert ConfigChange.objects.count() == before and CommitteeMember.objects.get(pk=member.pk).term_end is None
    committee_member_end(member_id=member.pk, actor=director, term_end=date(2026, 3, 1), reason="คำสั่งใหม่")
    with pytest.raises(Conflict):
        committee_member_end(member_id=member.pk, actor=director, term_end=date(2026, 4, 1), reason="อีกครั้ง")
