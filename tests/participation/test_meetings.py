"""Meetings and resolutions (issue 15): attendance of the serving members, each present member's vote, conflicts of
interest, quorum and majority from the committee's rules; every refusal writes nothing."""

from datetime import date, datetime

import pytest

from core.calendar import BANGKOK
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import Case, Committee, ConfigChange, Resolution, Vote
from tests.conftest import submit, user_named
from workflows.participation import committee_member_add, meeting_record, resolution_record

pytestmark = pytest.mark.django_db
HELD = datetime(2026, 3, 16, 13, 30, tzinfo=BANGKOK)


@pytest.fixture
def board(demo):
    """Five serving members (chair, secretary with an account, three members) and one whose term ended."""
    director = user_named("director")
    committee = Committee.objects.create(code="board", name_th="คณะกรรมการ", order_number="123/2569",
                                         order_date=date(2025, 11, 3))
    members = [committee_member_add(committee=committee, actor=director, name=name, position=position,
                                    term_start=date(2025, 11, 3), user=user)
               for name, position, user in (("ประธาน", "chair", None), ("เลขานุการ", "secretary", user_named("committee1")),
                                            ("กรรมการ ก", "member", None), ("กรรมการ ข", "member", None),
                                            ("กรรมการ ค", "member", None))]
    gone = committee_member_add(committee=committee, actor=director, name="อดีตกรรมการ", position="member",
                                term_start=date(2025, 11, 3))
    gone.term_end = date(2026, 1, 31)
    gone.save()
    item = submit("codecision", title="ปรับเวลาเข้าเรียน", unit_code="personnel").case
    Case.objects.filter(pk=item.pk).update(committee=committee)  # as opening its consultation names it
    return {"committee": committee, "members": [m.pk for m in members], "gone": gone.pk, "item": item}


def meeting(board, present):
    return meeting_record(committee=board["committee"], actor=user_named("committee1"), number="1/2569",
                          held_at=HELD, present=set(present))


def test_a_resolution_is_about_the_committees_item_or_its_agenda_and_the_agenda_about_what_the_recorder_reads(board):
    """A committee member who records meetings cannot bring a citizen's suggestion before the committee (and into
    their own reading), nor record a resolution about another committee's item."""
    chair, secretary, a, b, c = board["members"]
    suggestion = submit("suggestion", contact={"phone": "0822222222"}).case
    with pytest.raises(ValidationFailed) as refused:
        meeting_record(committee=board["committee"], actor=user_named("committee1"), number="2/2569", held_at=HELD,
                       present={chair, secretary, a}, agenda=[suggestion.tracking_number])
    assert "agenda" in refused.value.fields
    held = meeting(board, [chair, secretary, a, b])
    elsewhere = submit("codecision", unit_code="personnel").case
    with pytest.raises(ValidationFailed) as refused:
        resolution_record(meeting_id=held.pk, tracking=elsewhere.tracking_number, actor=user_named("committee1"),
                          motion="เห็นชอบ", votes={chair: "for", secretary: "for", a: "for", b: "for"})
    assert "case" in refused.value.fields
    # The director, who reads the suggestion as the office, may put it on the agenda (lower case typed, too).
    agenda = meeting_record(committee=board["committee"], actor=user_named("director"), number="3/2569",
                            held_at=HELD, present={chair, secretary, a}, agenda=[suggestion.tracking_number.lower()])
    assert list(agenda.agenda.all()) == [suggestion]


def test_a_resolution_with_a_recusal_and_its_outcome(board):
    chair, secretary, a, b, c = board["members"]
    held = meeting(board, [chair, secretary, a, b])
    assert held.attendance.count() == 5  # every serving member, present or not; not the one whose term ended
    resolution = resolution_record(meeting_id=held.pk, tracking=board["item"].tracking_number, actor=user_named(
        "committee1"), motion="เห็นชอบให้เข้าเรียนเวลา 08.30 น.",
        votes={chair: "for", secretary: "for", a: "against", b: "recused"}, conflicts={b: "บุตรเรียนที่โรงเรียนนี้"})
    assert (resolution.adopted, resolution.in_favour, resolution.against, resolution.recused) == (True, 2, 1, 1)
    assert Vote.objects.get(resolution=resolution, member_id=b).conflict == "บุตรเรียนที่โรงเรียนนี้"
    assert ConfigChange.objects.filter(model="core.Resolution").get().after["adopted"] is True


def test_a_tie_decided_by_the_chair(board):
    chair, secretary, a, b, c = board["members"]
    held = meeting(board, [chair, secretary, a, b])
    resolution = resolution_record(meeting_id=held.pk, tracking=board["item"].tracking_number, actor=user_named(
        "committee1"), motion="ญัตติ", votes={chair: "for", secretary: "against", a: "for", b: "against"},
        chair_casts="against")
    assert (resolution.adopted, resolution.casting_vote) == (False, True)


@pytest.mark.parametrize("case,error,field", [
    ("no_quorum", Conflict, None),  # 3 present, one recused: 2 of 5 take part, 3 needed
    ("absent_votes", ValidationFailed, "votes"),
    ("former_member", ValidationFailed, "votes"),
    ("missing_vote", ValidationFailed, "votes"),
    ("undeclared_conflict", ValidationFailed, "conflicts"),
    ("bad_choice", ValidationFailed, "votes"),
    ("casting_without_tie", ValidationFailed, "chair_casts"),
    ("not_an_agenda_kind", ValidationFailed, "case"),
    ("empty_motion", ValidationFailed, "motion"),
])
def test_refusals_write_nothing(board, case, error, field):
    chair, secretary, a, b, c = board["members"]
    held = meeting(board, [chair, secretary, a] if case == "no_quorum" else [chair, secretary, a, b])
    votes = {chair: "for", secretary: "for", a: "against", b: "abstain"}
    kwargs = {"tracking": board["item"].tracking_number, "motion": "ญัตติ", "votes": votes, "conflicts": {}}
    if case == "no_quorum":
        kwargs["votes"], kwargs["conflicts"] = {chair: "for", secretary: "for", a: "recused"}, {a: "ญาติ"}
    elif case == "absent_votes":
        kwargs["votes"] = {**votes, c: "for"}
    elif case == "former_member":
        kwargs["votes"] = {**votes, board["gone"]: "for"}
    elif case == "missing_vote":
        kwargs["votes"] = {chair: "for", secretary: "for", a: "against"}
    elif case == "undeclared_conflict":
        kwargs["votes"] = {**votes, b: "recused"}
    elif case == "bad_choice":
        kwargs["votes"] = {**votes, b: "maybe"}
    elif case == "casting_without_tie":
        kwargs["chair_casts"] = "for"
    elif case == "not_an_agenda_kind":
        kwargs["tracking"] = submit().case.tracking_number
    elif case == "empty_motion":
        kwargs["motion"] = "  "
    with pytest.raises(error) as refused:
        resolution_record(meeting_id=held.pk, actor=user_named("committee1"), **kwargs)
    if field:
        assert field in refused.value.fields
    else:
        assert "2" in refused.value.message and "3" in refused.value.message
    assert not Resolution.objects.exists() and not Vote.objects.exists()


def test_who_records_meetings(board):
    for username in ("officer1", "supervisor1", "auditor1"):
        with pytest.raises(PermissionDenied):
            meeting_record(committee=board["committee"], actor=user_named(username), number="1/2569", held_at=HELD,
                           present=set())
    with pytest.raises(ValidationFailed) as former:
        meeting(board, [board["gone"]])
    assert "present" in former.value.fields


def test_the_decision_comes_from_a_recorded_resolution(board, staff):
    from core.models import CaseEvent
    from tests.conftest import put_in_status

    chair, secretary, a, b, c = board["members"]
    item = put_in_status(board["item"], "deliberation")
    other = put_in_status(submit("codecision", unit_code="personnel").case, "deliberation")
    Case.objects.filter(pk=other.pk).update(committee=board["committee"])
    held = meeting(board, [chair, secretary, a, b])
    mine = resolution_record(meeting_id=held.pk, tracking=item.tracking_number, actor=user_named("committee1"),
                             motion="เห็นชอบ", votes={chair: "for", secretary: "for", a: "for", b: "against"})
    theirs = resolution_record(meeting_id=held.pk, tracking=other.tracking_number, actor=user_named("committee1"),
                               motion="เห็นชอบ", votes={chair: "for", secretary: "for", a: "for", b: "for"})
    url = f"/api/v1/cases/{item.tracking_number}/transitions/decide/"
    director = staff("director")
    for bad, field in (({"decision": "เห็นชอบ", "resolution": theirs.pk}, "resolution"),
                       ({"decision": "เห็นชอบ"}, "resolution"),
                       ({"decision": "เห็นชอบ", "votes": {"in_favour": 9}}, "votes")):
        response = director.post(url, bad, format="json")
        assert response.status_code == 400 and field in response.json()["error"]["fields"], response.json()
    assert director.post(url, {"decision": "เห็นชอบให้ดำเนินการ", "resolution": mine.pk},
                         format="json").status_code == 200
    event = CaseEvent.objects.filter(case=item, type="decide").get()
    assert event.data["params"] == {"decision": "เห็นชอบให้ดำเนินการ", "resolution": mine.pk}


def test_the_api_from_meeting_to_decision(board, staff):
    from tests.conftest import put_in_status

    chair, secretary, a, b, c = board["members"]
    item = put_in_status(board["item"], "deliberation")
    secretary_api = staff("committee1")
    listed = secretary_api.get("/api/v1/committees/").json()
    # (committee1 also sits on the demo office's participation committee)
    assert [(row["code"], len(row["serving"])) for row in listed] == [("board", 5), ("participation", 5)]
    assert staff("officer1").get("/api/v1/committees/").json() == []
    meeting_body = {"number": "2/2569", "held_at": "2026-03-16T13:30:00+07:00", "present": [chair, secretary, a, b]}
    assert staff("officer1").post("/api/v1/committees/board/meetings/", meeting_body,
                                  format="json").status_code == 403
    assert secretary_api.post("/api/v1/committees/nope/meetings/", meeting_body, format="json").status_code == 404
    created = secretary_api.post("/api/v1/committees/board/meetings/", meeting_body, format="json")
    assert created.status_code == 201, created.json()
    held = created.json()
    assert sorted(row["member"] for row in held["attendance"] if row["present"]) == sorted([chair, secretary, a, b])
    url = f"/api/v1/meetings/{held['id']}/resolutions/"
    body = {"case": item.tracking_number, "motion": "เห็นชอบ",
            "votes": {str(chair): "for", str(secretary): "for", str(a): "against", str(b): "recused"},
            "conflicts": {str(b): "ญาติเป็นครูในโรงเรียน"}}
    for bad, field in (({**body, "votes": {"x": "for"}}, "votes"),
                       ({**body, "votes": {str(chair): "maybe"}}, "votes"),
                       ({**body, "conflicts": {}}, "conflicts"),
                       ({**body, "chair_casts": "sideways"}, "chair_casts")):
        response = secretary_api.post(url, bad, format="json")
        fields = response.json()["error"]["fields"]
        assert response.status_code == 400 and any(key.split(".")[0] == field for key in fields), fields
    no_quorum = secretary_api.post(url, {**body, "votes": {str(chair): "for", str(secretary): "recused",
                                                          str(a): "recused", str(b): "recused"},
                                         "conflicts": {str(m): "ญาติ" for m in (secretary, a, b)}}, format="json")
    assert no_quorum.status_code == 409 and no_quorum.json()["error"]["code"] == "conflict"
    recorded = secretary_api.post(url, body, format="json")
    assert recorded.status_code == 201 and recorded.json()["adopted"] is True
    decided = staff("director").post(f"/api/v1/cases/{item.tracking_number}/transitions/decide/",
                                     {"decision": "เห็นชอบ", "resolution": recorded.json()["id"]}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "decided"
