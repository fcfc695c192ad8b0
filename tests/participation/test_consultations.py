"""Public consultations (issue 15): the window enforced to the second, opinions with their own numbers and the
personal-data consent, moderation that hides but never deletes, themes with answers, the decision clock, progress
milestones and followers told by email."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.consultations import participation_evidence
from core.crypto import decrypt_json
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.models import Case, CaseEvent, Follower, Notification, Opinion, SlaClock
from core.notifications.delivery import notification_deliver, notifications_due
from core.periods import fiscal_year_period
from core.tracking import tracking_number_parse
from tests.conftest import submit, user_named
from workflows.consultation import (
    OpinionInput,
    consultation_questions_set,
    opinion_hide,
    opinion_submit,
    theme_save,
)
from workflows.follow_up import follow_start, follow_stop, milestone_save, unfollow_token
from workflows.participation import meeting_record, resolution_record
from workflows.sla_sweep import sla_apply_due_steps
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db


def move(item, name: str, **params):
    return case_transition(tracking=item.tracking_number, name=name, actor=user_named("supervisor1"), params=params)


@pytest.fixture
def item(demo):
    """A co-decision item of the personnel group, its consultation open for a week from now."""
    case = submit("codecision", title="ปรับเวลาเข้าเรียนของโรงเรียนในสังกัด", unit_code="personnel").case
    supervisor = user_named("supervisor1")
    consultation_questions_set(tracking=case.tracking_number, actor=supervisor,
                               questions=[{"th": "เวลาเข้าเรียนที่เหมาะสมคือกี่โมง", "en": "What time should school start?"}])
    now = timezone.now()
    move(case, "open_consultation", opens_at=now, closes_at=now + timedelta(days=7), committee="participation",
         decision_days=20)
    return Case.objects.get(pk=case.pk)


def opinion(item, **overrides) -> Opinion:
    question = item.consultation_questions.get()
    fields = {"stance": "support", "body": "เห็นด้วย เด็กจะได้ไม่ต้องรีบ", "answers": {question.pk: "08.30 น."},
              "group": "parents"} | overrides
    return opinion_submit(tracking=item.tracking_number, opinion=OpinionInput(**fields))


def test_an_opinion_gets_its_own_number_and_keeps_contact_details_only_with_consent(item):
    given = opinion(item, contact={"name": "แม่น้องเอ", "email": "mother@example.com"}, consent=True)
    assert tracking_number_parse(given.tracking_number) == given.tracking_number
    assert given.tracking_number.startswith("PH-") and given.group.code == "parents"
    assert "mother@example.com" not in given.contact_encrypted
    assert decrypt_json(given.contact_encrypted)["email"] == "mother@example.com" and given.consent_at is not None
    event = CaseEvent.objects.filter(case=item, type="opinion").get()
    assert event.data["opinion"] == given.tracking_number and event.actor_kind == "citizen"
    assert event.data["consent"]["notice_version"]  # the notice this citizen accepted
    before = Opinion.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        opinion(item, contact={"email": "someone@example.com"}, consent=False)
    assert "consent" in refused.value.fields
    for bad, field in (({"stance": "maybe"}, "stance"), ({"body": "  "}, "body"), ({"answers": {999999: "x"}}, "answers"),
                       ({"group": "martians"}, "group")):
        with pytest.raises(ValidationFailed) as refused:
            opinion(item, **bad)
        assert field in refused.value.fields
    assert Opinion.objects.count() == before


def test_the_window_is_enforced_before_it_opens_and_after_it_closes(item):
    Case.objects.filter(pk=item.pk).update(consultation_opens_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(Conflict):
        opinion(item)
    Case.objects.filter(pk=item.pk).update(consultation_opens_at=timezone.now() - timedelta(days=1))
    closes = Case.objects.get(pk=item.pk).consultation_closes_at
    with time_machine.travel(closes - timedelta(seconds=1), tick=False):
        opinion(item)
    with time_machine.travel(closes, tick=False), pytest.raises(Conflict):
        opinion(item)
    assert Opinion.objects.filter(case=item).count() == 1
    draft = submit("codecision", unit_code="personnel").case
    with pytest.raises(NotFound):  # a draft is not public
        opinion_submit(tracking=draft.tracking_number, opinion=OpinionInput(stance="support", body="x", answers={}))
    complaint = submit().case
    with pytest.raises(NotFound):
        opinion_submit(tracking=complaint.tracking_number, opinion=OpinionInput(stance="support", body="x", answers={}))


def test_the_sweep_closes_the_window_and_starts_the_committees_decision_clock(item):
    opinion(item)
    assert Case.objects.get(pk=item.pk).sla_next_action_at == item.consultation_closes_at
    with time_machine.travel(item.consultation_closes_at + timedelta(seconds=5), tick=False):
        assert sla_apply_due_steps() == 1
    item = Case.objects.get(pk=item.pk)
    event = CaseEvent.objects.filter(case=item).latest("seq")
    assert (item.status, event.type, event.actor_kind) == ("deliberation", "start_deliberation", "system")
    clock = SlaClock.objects.get(case=item, kind="decision")
    assert clock.policy_id is None and clock.budget_seconds == 20 * 8 * 3600 and clock.met_at is None
    assert item.sla_due_at == clock.due_at
    with pytest.raises(Conflict):
        opinion(item)


def test_questions_stay_as_asked_once_someone_answered(item):
    opinion(item)
    with pytest.raises(Conflict):
        consultation_questions_set(tracking=item.tracking_number, actor=user_named("supervisor1"), questions=[])
    with pytest.raises(PermissionDenied):  # a member of the unit who does not hold the item
        consultation_questions_set(tracking=item.tracking_number, actor=user_named("officer1"), questions=[])
    with pytest.raises(NotFound):  # another unit's officer does not see it
        consultation_questions_set(tracking=item.tracking_number, actor=user_named("officer2"), questions=[])


def test_moderation_hides_with_the_reason_and_never_deletes(item):
    given = opinion(item, body="ด่าทอบุคคล")
    with pytest.raises(ValidationFailed):
        opinion_hide(number=given.tracking_number, actor=user_named("supervisor1"), reason=" ")
    with pytest.raises(PermissionDenied):  # the committee's members read the item; the office moderates
        opinion_hide(number=given.tracking_number, actor=user_named("committee1"), reason="ถ้อยคำไม่สุภาพ")
    opinion_hide(number=given.tracking_number, actor=user_named("supervisor1"), reason="ถ้อยคำไม่สุภาพ")
    hidden = Opinion.objects.get(pk=given.pk)
    assert hidden.hidden_at is not None and hidden.hidden_reason == "ถ้อยคำไม่สุภาพ" and hidden.body == "ด่าทอบุคคล"
    event = CaseEvent.objects.filter(case=item, type="opinion_hidden").get()
    assert event.actor.username == "supervisor1" and event.data["reason"] == "ถ้อยคำไม่สุภาพ"
    with pytest.raises(Conflict):
        opinion_hide(number=given.tracking_number, actor=user_named("supervisor1"), reason="อีกครั้ง")


def test_themes_gather_opinions_and_an_answer_is_public(item):
    first, second, other = opinion(item), opinion(item, stance="oppose"), opinion(item)
    supervisor = user_named("supervisor1")
    theme = theme_save(tracking=item.tracking_number, actor=supervisor, title="เวลาเข้าเรียน 08.30 น.",
                       opinions=[first.tracking_number, second.tracking_number])
    assert sorted(theme.opinions.values_list("pk", flat=True)) == sorted([first.pk, second.pk])
    assert CaseEvent.objects.filter(case=item).latest("seq").visibility == "internal"
    with pytest.raises(ValidationFailed):
        theme_save(tracking=item.tracking_number, actor=supervisor, title="x", opinions=["PH-0000-0000-0000"])
    theme_save(tracking=item.tracking_number, actor=supervisor, theme_id=theme.pk, title=theme.title,
               answer="สำนักงานจะเสนอคณะกรรมการพิจารณาเวลา 08.30 น.", opinions=[first.tracking_number])
    assert list(theme.opinions.values_list("pk", flat=True)) == [first.pk]
    assert Opinion.objects.get(pk=other.pk).theme is None
    event = CaseEvent.objects.filter(case=item).latest("seq")
    assert (event.type, event.visibility) == ("theme_answered", "public")


def test_followers_hear_of_each_phase_and_progress_and_can_stop(item, smtp):
    follower = follow_start(tracking=item.tracking_number, email="Follower@Example.com", consent=True)
    assert follow_start(tracking=item.tracking_number, email="follower@example.com ", consent=True) == follower
    with pytest.raises(ValidationFailed):
        follow_start(tracking=item.tracking_number, email="not-an-address", consent=True)
    with pytest.raises(ValidationFailed):
        follow_start(tracking=item.tracking_number, email="b@example.com", consent=False)
    with pytest.raises(NotFound):
        follow_start(tracking=submit().case.tracking_number, email="b@example.com", consent=True)
    move(item, "start_deliberation")
    deliver()
    subjects = [message["Subject"].strip() for message in smtp.messages]
    assert subjects == ["ท่านได้ติดตามเรื่อง: ปรับเวลาเข้าเรียนของโรงเรียนในสังกัด",
                        "ความคืบหน้า: ปรับเวลาเข้าเรียนของโรงเรียนในสังกัด"]
    assert all(message["To"] == "Follower@Example.com" for message in smtp.messages)
    body = smtp.messages[1].get_content()
    assert "การพิจารณาของคณะกรรมการ" in body and f"/participation/{item.tracking_number}/" in body
    assert "/participation/unfollow/" in body
    follow_stop(token=unfollow_token(follower))
    assert Follower.objects.get(pk=follower.pk).email_encrypted == ""
    move(item, "withdraw", reason="ยกเลิก")
    assert deliver() == []
    with pytest.raises(NotFound):
        follow_stop(token="forged")


def test_progress_is_reported_on_a_decided_item_with_each_update_public(item, smtp):
    from tests.workflows.test_transition_table import resolved

    follow_start(tracking=item.tracking_number, email="follower@example.com", consent=True)
    supervisor = user_named("supervisor1")
    with pytest.raises(Conflict):
        milestone_save(tracking=item.tracking_number, actor=supervisor, title="x", percent=10)
    move(item, "start_deliberation")
    move(item, "decide", decision="เห็นชอบ 08.30 น.", resolution=resolved(item).pk)
    move(item, "start_implementation")
    for bad, field in (({"percent": 101}, "percent"), ({"title": ""}, "title"),
                       ({"done_on": timezone.localdate() + timedelta(days=1), "percent": 100}, "done_on"),
                       ({"done_on": timezone.localdate(), "percent": 50}, "percent")):
        with pytest.raises(ValidationFailed) as refused:
            milestone_save(tracking=item.tracking_number, actor=supervisor, **({"title": "แจ้งโรงเรียน",
                                                                                "percent": 10} | bad))
        assert field in refused.value.fields
    with pytest.raises(PermissionDenied):
        milestone_save(tracking=item.tracking_number, actor=user_named("officer1"), title="x", percent=10)
    step = milestone_save(tracking=item.tracking_number, actor=supervisor, title="แจ้งโรงเรียนทุกแห่ง", percent=40)
    milestone_save(tracking=item.tracking_number, actor=supervisor, milestone_id=step.pk, title=step.title,
                   percent=100, done_on=timezone.localdate())
    events = CaseEvent.objects.filter(case=item, type="progress").order_by("seq")
    assert [e.data["percent"] for e in events] == [40, 100] and {e.visibility for e in events} == {"public"}
    assert SlaClock.objects.get(case=item, kind="decision").met_at is not None
    deliver()
    templates = Notification.objects.filter(follower__isnull=False).order_by("pk").values_list("template", flat=True)
    assert list(templates) == ["follow_started"] + ["follow_update"] * 5  # 3 phases, 2 progress reports
    assert "แจ้งโรงเรียนทุกแห่ง (100%)" in smtp.messages[-1].get_content()


def deliver() -> list[str]:
    return [notification_deliver(notification_id=pk) for pk in notifications_due(now=timezone.now(), limit=100)]


def test_the_evidence_selector_gives_itas_four_components_with_counts_by_group(item):
    for group in ("parents", "parents", "community", ""):
        opinion(item, group=group)
    move(item, "start_deliberation")
    members = {m.name: m.pk for m in item.committee.members.all()}
    meeting = meeting_record(committee=item.committee, actor=user_named("supervisor1"), number="1/2570",
                             held_at=timezone.now(), present=set(list(members.values())[:4]),
                             agenda=[item.tracking_number])
    present = sorted(list(members.values())[:4])
    resolution = resolution_record(meeting_id=meeting.pk, tracking=item.tracking_number, motion="เห็นชอบ",
                                   actor=user_named("supervisor1"),
                                   votes=dict(zip(present, ("for", "for", "against", "abstain"), strict=True)))
    move(item, "decide", decision="เห็นชอบ 08.30 น.", resolution=resolution.pk)
    theme_save(tracking=item.tracking_number, actor=user_named("supervisor1"), title="เวลา", answer="ตอบแล้ว")
    [evidence] = participation_evidence(fiscal_year_period(timezone.now()))
    assert evidence.topic == "ปรับเวลาเข้าเรียนของโรงเรียนในสังกัด"
    assert evidence.opinions_by_group == {"เครือข่ายผู้ปกครอง": 2, "ชุมชนและองค์กรปกครองส่วนท้องถิ่น": 1, "": 1}
    assert evidence.attendees == 4 and sum(evidence.members_by_group.values()) == 5
    assert evidence.members_by_group["เครือข่ายผู้ปกครอง"] == 1
    assert evidence.results == "เห็นชอบ 08.30 น.\nเวลา" and evidence.resolution == resolution
    assert evidence.use.splitlines()[0] in ("มีมติแล้ว", "Decided")


def test_an_opinions_contact_details_go_with_the_retention_period_of_its_item(item, settings):
    from workflows.privacy import contacts_remove_expired

    given = opinion(item, contact={"email": "mother@example.com"}, consent=True)
    event = CaseEvent.objects.filter(case=item, type="opinion").get()
    assert event.data["consent"]["notice_version"] and event.data["consent"]["at"]
    assert contacts_remove_expired() == 0  # the item is open
    Case.objects.filter(pk=item.pk).update(status="closed", closed_at=timezone.now() - timedelta(
        days=366 * settings.PERSONAL_DATA_RETENTION_YEARS + 2))
    assert contacts_remove_expired() == 1
    assert Opinion.objects.get(pk=given.pk).contact_encrypted == "" and Opinion.objects.get(pk=given.pk).body
