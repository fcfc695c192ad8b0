"""Every (status, transition) pair of every workflow is allowed or refused exactly as docs/design.md ("Workflows") says.

The table below is written out from docs/design.md by hand, on purpose: it is the specification the
workflow modules are checked against, not a copy of them.
"""

import pytest
from django.utils import timezone

from core.errors import TransitionNotAllowed
from core.models import Case, CaseEvent
from tests.conftest import put_in_status, submit, user_named
from workflows.registry import WORKFLOWS
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db

# kind -> transition -> ({allowed source statuses}, target)
DESIGN = {
    "complaint": {
        "assign": ({"submitted"}, "assigned"),
        "accept": ({"assigned"}, "in_progress"),
        "reject": ({"assigned"}, "rejected"),
        "merge": ({"submitted", "assigned"}, "merged"),
        "refer": ({"assigned", "in_progress"}, "referred"),
        "record_agency_reply": ({"referred"}, "in_progress"),
        "hold": ({"in_progress"}, "on_hold"),
        "request_info": ({"in_progress"}, "awaiting_info"),
        "resume": ({"awaiting_info", "on_hold"}, "in_progress"),
        "respond": ({"in_progress"}, "responded"),
        "reopen": ({"responded"}, "in_progress"),
        "close": ({"responded", "rejected", "referred", "merged"}, "closed"),
    },
    "corruption": {
        "assign": ({"submitted"}, "assigned"),
        "accept": ({"assigned"}, "fact_finding"),
        "request_info": ({"fact_finding"}, "awaiting_info"),
        "resume": ({"awaiting_info", "on_hold"}, "fact_finding"),
        "hold": ({"fact_finding"}, "on_hold"),
        "refer": ({"fact_finding"}, "referred"),
        "record_agency_reply": ({"referred"}, "fact_finding"),
        "dismiss": ({"fact_finding"}, "dismissed"),
        "refer_for_inquiry": ({"fact_finding"}, "referred_for_inquiry"),
        "conclude": ({"dismissed", "referred_for_inquiry"}, "concluded"),
        "close": ({"concluded"}, "closed"),
    },
    "suggestion": {
        "assign": ({"submitted"}, "assigned"),
        "consider": ({"assigned"}, "under_consideration"),
        "hold": ({"under_consideration"}, "on_hold"),
        "resume": ({"on_hold"}, "under_consideration"),
        "adopt": ({"under_consideration"}, "adopted"),
        "note": ({"under_consideration"}, "noted"),
        "decline": ({"under_consideration"}, "declined"),
        "close": ({"adopted", "noted", "declined"}, "closed"),
    },
    "codecision": {
        "open_consultation": ({"draft"}, "consultation"),
        "start_deliberation": ({"consultation"}, "deliberation"),
        "decide": ({"deliberation"}, "decided"),
        "start_implementation": ({"decided"}, "implementing"),
        "hold": ({"implementing"}, "on_hold"),
        "resume": ({"on_hold"}, "implementing"),
        "complete": ({"implementing"}, "completed"),
        "close": ({"decided", "completed"}, "closed"),
        "withdraw": ({"draft", "consultation", "deliberation"}, "withdrawn"),
    },
}

STATUSES = {
    "complaint": ["submitted", "assigned", "in_progress", "awaiting_info", "on_hold", "responded", "referred",
                  "merged", "rejected", "closed"],
    "corruption": ["submitted", "assigned", "fact_finding", "awaiting_info", "on_hold", "referred", "dismissed",
                   "referred_for_inquiry", "concluded", "closed"],
    "suggestion": ["submitted", "assigned", "under_consideration", "on_hold", "adopted", "noted", "declined",
                   "closed"],
    "codecision": ["draft", "consultation", "deliberation", "decided", "implementing", "on_hold", "completed",
                   "closed", "withdrawn"],
}

PAIRS = [
    pytest.param(kind, status, name, id=f"{kind}-{status}-{name}")
    for kind, transitions in DESIGN.items()
    for status in STATUSES[kind]
    for name in transitions
]


def resolved(case: Case):
    """A resolution about ``case`` recorded at a meeting of the committee deciding it (tests/participation/): three of
    its members present, two for and one abstaining. An item with no committee yet gets one of its own."""
    from datetime import date

    from core.models import Committee
    from workflows.participation import committee_member_add, committee_serving, meeting_record, resolution_record

    director = user_named("director")
    case.refresh_from_db()
    committee = case.committee
    if committee is None:
        committee = Committee.objects.create(code=f"c{case.pk}", name_th="คณะกรรมการ", order_number="1/2569",
                                             order_date=date(2025, 10, 1))
        for name, position in (("ประธาน", "chair"), ("กรรมการ", "member"), ("ผู้แทน", "representative")):
            committee_member_add(committee=committee, actor=director, name=name, position=position,
                                 term_start=date(2025, 10, 1))
    members = [member.pk for member in committee_serving(committee, timezone.localdate())][:3]
    meeting = meeting_record(committee=committee, actor=director, number="1/2569", held_at=timezone.now(),
                             present=set(members), agenda=[case.tracking_number])
    return resolution_record(meeting_id=meeting.pk, tracking=case.tracking_number, motion="เห็นชอบ", actor=director,
                             votes=dict(zip(members, ("for", "for", "abstain"), strict=True)))


def params_for(kind: str, name: str, case: Case) -> dict:
    now = timezone.now()
    if name == "assign":
        return {"unit": "audit"} if kind == "corruption" else {"assignee": "officer1"}
    if name == "merge":
        kept = submit(kind).case
        put_in_status(kept, "in_progress", unit="personnel")
        return {"duplicate_of": kept.tracking_number}
    if name == "decide":
        return {"decision": "เห็นชอบ", "resolution": resolved(case).pk}
    return {
        "reject": {"reason": "อยู่นอกอำนาจหน้าที่"},
        "refer": {"agency": "nacc" if kind == "corruption" else "provincial-education",
                  "letter_number": "ศธ 04001/123", "letter_date": timezone.localdate()},
        "record_agency_reply": {"summary": "หน่วยงานดำเนินการแล้ว"},
        "hold": {"waiting_reason": "awaiting_budget", "note": "รอจัดสรรงบประมาณปี 2570"},
        "request_info": {"question": "โปรดระบุชื่อโรงเรียน"},
        "respond": {"reply": "ดำเนินการแล้ว"},
        "dismiss": {"reason": "ไม่พบข้อเท็จจริง"},
        "conclude": {"summary": "ได้ข้อยุติแล้ว"},
        "adopt": {"answer": "นำไปปฏิบัติ"},
        "note": {"answer": "รับไว้พิจารณา"},
        "decline": {"answer": "ไม่สามารถทำได้"},
        "open_consultation": {"opens_at": now, "closes_at": now + timezone.timedelta(days=14),
                              "committee": "participation"},
        "withdraw": {"reason": "ยกเลิกโครงการ"},
    }.get(name, {})


def test_the_table_covers_every_transition_of_every_workflow():
    for kind, workflow in WORKFLOWS.items():
        names = set(workflow.transition_names()) - {"escalate"}
        assert names == set(DESIGN[kind]), kind
        mentioned = {status for sources, target in DESIGN[kind].values() for status in (*sources, target)}
        assert mentioned == set(STATUSES[kind]), kind


@pytest.mark.parametrize("kind,status,name", PAIRS)
def test_transition_allowed_exactly_as_designed(demo, kind, status, name):
    sources, target = DESIGN[kind][name]
    unit = "audit" if kind == "corruption" else "personnel"
    case = submit(kind, unit_code=unit if kind == "codecision" else None).case
    case = put_in_status(case, status, unit=None if status in ("submitted", "draft") else unit)
    director = user_named("director")  # may do everything, so only the state decides
    events_before = CaseEvent.objects.filter(case=case).count()
    params = params_for(kind, name, case)

    if status in sources:
        moved = case_transition(tracking=case.tracking_number, name=name, actor=director, params=params)
        assert moved.status == target
        assert Case.objects.get(pk=case.pk).status == target
        event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
        assert (event.seq, event.type, event.from_status, event.to_status) == (events_before + 1, name, status, target)
    else:
        with pytest.raises(TransitionNotAllowed):
            case_transition(tracking=case.tracking_number, name=name, actor=director, params=params)
        assert Case.objects.get(pk=case.pk).status == status
        assert CaseEvent.objects.filter(case=case).count() == events_before
