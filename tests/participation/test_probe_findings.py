"""What an attacker's probe of the participation features found (issue 15), each pinned so that it stays fixed."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Case, Follower, Opinion, Survey
from tests.conftest import submit, user_named
from tests.participation.test_surveys import make_survey
from tests.workspace.conftest import post
from workflows.consultation import OpinionInput, opinion_hide, opinion_submit
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(demo):
    case = submit("codecision", title="ปรับเวลาเข้าเรียน", unit_code="personnel").case
    now = timezone.now()
    case_transition(tracking=case.tracking_number, name="open_consultation", actor=user_named("supervisor1"),
                    params={"opens_at": now, "closes_at": now + timedelta(days=7), "committee": "participation"})
    return Case.objects.get(pk=case.pk)


def test_many_people_follow_many_items(api, item):
    other = submit("codecision", unit_code="personnel").case
    case_transition(tracking=other.tracking_number, name="open_consultation", actor=user_named("supervisor1"),
                    params={"opens_at": timezone.now(), "closes_at": timezone.now() + timedelta(days=3),
                            "committee": "participation"})
    for tracking in (item.tracking_number, other.tracking_number):
        for address in ("a@example.com", "b@example.com"):
            response = api.post(f"/api/v1/public/consultations/{tracking}/followers/",
                                {"email": address, "consent": True}, format="json")
            assert response.status_code == 201, response.content
    assert Follower.objects.count() == 4


def test_only_public_items_and_adopted_suggestions_are_followed(api, demo):
    draft = submit("codecision", title="ร่างลับ", unit_code="personnel").case
    pending = submit("suggestion", title="ครูสมชายดื่มสุราในเวลาราชการ").case
    for case in (draft, pending):
        response = api.post(f"/api/v1/public/consultations/{case.tracking_number}/followers/",
                            {"email": "a@example.com", "consent": True}, format="json")
        assert response.status_code == 404
    assert Follower.objects.count() == 0


def test_a_draft_answers_an_opinion_as_if_it_did_not_exist(api, demo):
    draft = submit("codecision", unit_code="personnel").case
    response = api.post(f"/api/v1/public/consultations/{draft.tracking_number}/opinions/",
                        {"stance": "support", "body": "x"}, format="json")
    assert response.status_code == 404


def test_a_survey_date_the_database_cannot_read_back_is_refused_on_the_page(desk):
    response = post(desk("supervisor1"), "/staff/surveys/", {
        "code": "bad", "title_th": "x", "subject": "service", "opens_at": "0001-01-01T00:00",
        "closes_at": "2027-01-01T00:00"})
    assert response.status_code == 400 and Survey.objects.count() == 0
    assert desk("supervisor1").get("/staff/surveys/").status_code == 200


@pytest.mark.parametrize("answers", [
    {"MULTI": [[0], [1]]}, {"MULTI": [{}]}, {"TEXT": "a\x00b"}, {"TEXT": "\ud800"}, {"²": 1}, {"9" * 5000: 1}])
def test_survey_answers_of_the_wrong_shape_are_400(api, demo, answers):
    survey = make_survey()
    scale, multiple, text = survey.questions.all()
    names = {"MULTI": str(multiple.pk), "TEXT": str(text.pk)}
    form = api.get(f"/api/v1/public/surveys/{survey.code}/").json()
    body = {names.get(key, key): value for key, value in answers.items()}
    body.setdefault(str(scale.pk), 4)
    # (Sent as the probe sent it: JSON with the escapes as text, which a Python string cannot hold encoded.)
    response = api.post(f"/api/v1/public/surveys/{survey.code}/responses/",
                        json.dumps({"form_token": form["form_token"], "answers": body}),
                        content_type="application/json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("key", ["²", "9" * 5000])
def test_opinion_and_vote_keys_that_are_not_ids_are_400(api, staff, item, key):
    response = api.post(f"/api/v1/public/consultations/{item.tracking_number}/opinions/",
                        {"stance": "support", "body": "x", "answers": {key: "x"}}, format="json")
    assert response.status_code == 400
    response = staff("supervisor1").post("/api/v1/meetings/1/resolutions/", {
        "case": item.tracking_number, "motion": "x", "votes": {key: "for"}}, format="json")
    assert response.status_code == 400


def test_unknown_themes_milestones_and_opinions_on_the_workspace_are_404(desk, item):
    head = desk("supervisor1")
    base = f"/staff/cases/{item.tracking_number}/participation/"
    assert post(head, f"{base}themes/999999/", {"title": "x"}).status_code == 404
    # (a milestone before the decision is refused first, with the reason on the page)
    refused = post(head, f"{base}milestones/999999/", {"title": "x", "percent": "5"}, follow=True)
    assert refused.status_code == 200 and "รายงานความคืบหน้าได้เมื่อประเด็นมีมติแล้ว" in refused.content.decode()
    assert post(head, f"{base}opinions/PH-0000-0000-0000/hide/", {"reason": "x"}).status_code == 404


def test_a_committee_member_reads_the_item_not_the_citizens_contact_nor_hidden_words(staff, desk, item):
    hidden = opinion_submit(tracking=item.tracking_number, opinion=OpinionInput(
        stance="oppose", body="เบอร์ของครูคือ 0812345678", answers={}))
    opinion_hide(number=hidden.tracking_number, actor=user_named("supervisor1"), reason="ข้อมูลส่วนบุคคล")
    member = staff("committee1")
    listed = member.get(f"/api/v1/cases/{item.tracking_number}/opinions/").json()
    assert listed[0]["hidden_reason"] == "ข้อมูลส่วนบุคคล" and "0812345678" not in str(listed)
    page = desk("committee1").get(f"/staff/cases/{item.tracking_number}/participation/").content.decode()
    assert "0812345678" not in page
    assert "0812345678" in desk("supervisor1").get(
        f"/staff/cases/{item.tracking_number}/participation/").content.decode()  # the moderators read it
    assert Opinion.objects.get(pk=hidden.pk).body  # kept


def test_a_resolution_from_another_committee_does_not_decide_the_item(staff, item, demo):
    from datetime import date

    from core.models import Committee
    from workflows.participation import committee_member_add, meeting_record, resolution_record

    director = user_named("director")
    other = Committee.objects.create(code="other", name_th="อื่น", order_number="9/2569", order_date=date(2025, 10, 1))
    member = committee_member_add(committee=other, actor=director, name="ก", position="chair",
                                  term_start=date(2025, 10, 1))
    held = meeting_record(committee=other, actor=director, number="1/2569", held_at=timezone.now(),
                          present={member.pk}, agenda=[item.tracking_number])
    theirs = resolution_record(meeting_id=held.pk, tracking=item.tracking_number, motion="x", actor=director,
                               votes={member.pk: "for"})
    case_transition(tracking=item.tracking_number, name="start_deliberation", actor=director)
    response = staff("director").post(f"/api/v1/cases/{item.tracking_number}/transitions/decide/",
                                      {"decision": "เห็นชอบ", "resolution": theirs.pk}, format="json")
    assert response.status_code == 400 and "resolution" in response.json()["error"]["fields"]
