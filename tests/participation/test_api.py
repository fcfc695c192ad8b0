"""The consultation through the API (issue 15): the same operations as the pages, in the documented error format."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from core.models import Attachment, Case, CaseEvent, Follower, Milestone, Opinion
from tests.conftest import submit

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def fields_of(response) -> set[str]:
    return {key.split(".")[0] for key in response.json()["error"]["fields"]}


@pytest.fixture
def item(demo, settings, tmp_path, staff):
    settings.MEDIA_ROOT = tmp_path
    case = submit("codecision", title="ปรับเวลาเข้าเรียน", unit_code="personnel").case
    head = staff("supervisor1")
    url = f"/api/v1/cases/{case.tracking_number}/"
    assert head.put(url + "consultation/questions/", {"questions": [{"th": "เวลาใดเหมาะสม", "en": "Which time?"}]},
                    format="json").status_code == 200
    now = timezone.now()
    opened = head.post(url + "transitions/open_consultation/", {
        "opens_at": now.isoformat(), "closes_at": (now + timedelta(days=7)).isoformat(),
        "committee": "participation", "decision_days": 20}, format="json")
    assert opened.status_code == 200, opened.json()
    return Case.objects.get(pk=case.pk)


def test_opening_needs_a_committee_and_a_window_in_the_future(demo, staff):
    case = submit("codecision", unit_code="personnel").case
    url = f"/api/v1/cases/{case.tracking_number}/transitions/open_consultation/"
    now = timezone.now()
    for body, field in (({"committee": "nope"}, "committee"),
                        ({"closes_at": (now - timedelta(days=1)).isoformat()}, "closes_at"),
                        ({"decision_days": 0}, "decision_days")):
        response = staff("supervisor1").post(url, {"opens_at": (now - timedelta(days=2)).isoformat(),
                                                   "closes_at": (now + timedelta(days=7)).isoformat(),
                                                   "committee": "participation", **body}, format="json")
        assert response.status_code == 400 and field in fields_of(response), response.json()
    assert Case.objects.get(pk=case.pk).status == "draft"


def test_a_citizen_gives_an_opinion_and_reads_what_became_of_it(api, staff, item):
    question = item.consultation_questions.get()
    url = f"/api/v1/public/consultations/{item.tracking_number}/"
    page = api.get(url).json()
    assert page["accepting_opinions"] is True and page["questions"][0]["text_th"] == "เวลาใดเหมาะสม"
    assert page["committee"] == "คณะกรรมการส่งเสริมการมีส่วนร่วมของผู้มีส่วนได้ส่วนเสีย"
    for bad, field in (({"stance": "maybe"}, "stance"), ({"answers": {"x": "y"}}, "answers"),
                       ({"answers": {"999999": "y"}}, "answers"), ({"surprise": 1}, "surprise"),
                       ({"contact": {"email": "a@example.com"}}, "consent"), ({"group": "martians"}, "group")):
        response = api.post(url + "opinions/", {"stance": "support", "body": "เห็นด้วย", **bad}, format="json")
        assert response.status_code == 400 and field in fields_of(response), (bad, response.json())
    assert Opinion.objects.count() == 0
    given = api.post(url + "opinions/", {"stance": "support", "body": "เห็นด้วย", "group": "parents",
                                         "answers": {str(question.pk): "08.30"}, "consent": True,
                                         "contact": {"email": "mother@example.com"}}, format="json")
    assert given.status_code == 201
    number = given.json()["tracking_number"]
    assert api.get(f"/api/v1/public/opinions/{number}/").json()["shown"] is True
    staff_view = staff("supervisor1").get(f"/api/v1/cases/{item.tracking_number}/opinions/").json()
    assert staff_view[0]["has_contact"] is True and "mother@example.com" not in str(staff_view)


def test_moderation_and_themes_through_the_api(api, staff, item):
    url = f"/api/v1/public/consultations/{item.tracking_number}/"
    numbers = [api.post(url + "opinions/", {"stance": stance, "body": body}, format="json").json()["tracking_number"]
               for stance, body in (("support", "ดี"), ("oppose", "คำหยาบ"))]
    assert staff("committee1").post(f"/api/v1/opinions/{numbers[1]}/hide/", {"reason": "ไม่สุภาพ"},
                                    format="json").status_code == 403
    assert staff("officer2").post(f"/api/v1/opinions/{numbers[1]}/hide/", {"reason": "ไม่สุภาพ"},
                                  format="json").status_code == 404
    assert staff("supervisor1").post(f"/api/v1/opinions/{numbers[1]}/hide/", {"reason": ""},
                                     format="json").status_code == 400
    hidden = staff("supervisor1").post(f"/api/v1/opinions/{numbers[1]}/hide/", {"reason": "ไม่สุภาพ"}, format="json")
    assert hidden.status_code == 200 and hidden.json()["hidden_reason"] == "ไม่สุภาพ"
    page = api.get(url).json()
    assert [o["body"] for o in page["opinions"]] == ["ดี"] and page["received"] == 2
    assert page["stances"] == {"support": 1, "oppose": 0, "neutral": 0}
    themes = f"/api/v1/cases/{item.tracking_number}/themes/"
    created = staff("supervisor1").post(themes, {"title": "เห็นด้วย", "opinions": numbers[:1]}, format="json")
    assert created.status_code == 201
    answered = staff("supervisor1").put(f"{themes}{created.json()['id']}/", {
        "title": "เห็นด้วย", "answer": "จะเสนอคณะกรรมการ", "opinions": numbers[:1]}, format="json")
    assert answered.status_code == 200 and answered.json()["answered_at"]
    assert api.get(url).json()["themes"] == [{"id": created.json()["id"], "title": "เห็นด้วย",
                                              "answer": "จะเสนอคณะกรรมการ",
                                              "answered_at": answered.json()["answered_at"], "opinions": 1}]
    assert api.get(f"/api/v1/public/opinions/{numbers[0]}/").json()["answer"] == "จะเสนอคณะกรรมการ"


def test_after_the_window_the_api_refuses_opinions_with_409(api, item):
    Case.objects.filter(pk=item.pk).update(consultation_closes_at=timezone.now() - timedelta(seconds=1))
    response = api.post(f"/api/v1/public/consultations/{item.tracking_number}/opinions/",
                        {"stance": "support", "body": "ช้าไป"}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    assert api.get(f"/api/v1/public/consultations/{item.tracking_number}/").json()["accepting_opinions"] is False


def test_documents_followers_milestones_and_the_board(api, staff, item):
    document = Attachment(case=item, original_name="ร่าง.pdf", content_type="application/pdf", size=len(PDF),
                          sha256="0" * 64)
    document.file.save("draft.pdf", ContentFile(PDF), save=True)
    url = f"/api/v1/cases/{item.tracking_number}/"
    assert staff("officer1").post(f"{url}attachments/{document.pk}/publish/", {"public": True},
                                  format="json").status_code == 403
    assert staff("supervisor1").post(f"{url}attachments/{document.pk}/publish/", {"public": True},
                                     format="json").status_code == 204
    public = api.get(f"/api/v1/public/consultations/{item.tracking_number}/").json()
    assert [d["name"] for d in public["documents"]] == ["ร่าง.pdf"]
    follow = f"/api/v1/public/consultations/{item.tracking_number}/followers/"
    assert api.post(follow, {"email": "f@example.com", "consent": False}, format="json").status_code == 400
    assert api.post(follow, {"email": "f@example.com", "consent": True}, format="json").status_code == 201
    assert Follower.objects.count() == 1
    assert staff("supervisor1").post(url + "milestones/", {"title": "แจ้งโรงเรียน", "percent": 10},
                                     format="json").status_code == 409  # not decided yet
    from tests.workflows.test_transition_table import resolved

    head = staff("supervisor1")
    assert head.post(url + "transitions/start_deliberation/", {}, format="json").status_code == 200
    assert head.post(url + "transitions/decide/", {"decision": "เห็นชอบ 08.30 น.", "resolution": resolved(item).pk},
                     format="json").status_code == 200
    for bad in ({"title": "x", "percent": 101}, {"title": "x", "percent": "ten"}, {"title": "", "percent": 5},
                {"title": "x", "percent": 5, "due_on": "31/12/2569"}):
        assert head.post(url + "milestones/", bad, format="json").status_code == 400, bad
    created = head.post(url + "milestones/", {"title": "แจ้งโรงเรียน", "percent": 50}, format="json")
    assert created.status_code == 201
    assert head.put(f"{url}milestones/{created.json()['id']}/", {"title": "แจ้งโรงเรียน", "percent": 100,
                                                                  "done_on": timezone.localdate().isoformat()},
                    format="json").status_code == 200
    assert Milestone.objects.get().done_on == timezone.localdate()
    [entry] = api.get("/api/v1/public/board/").json()
    assert (entry["topic"], entry["outcome"], entry["progress"]) == ("ปรับเวลาเข้าเรียน", "เห็นชอบ 08.30 น.", 100)
    public = api.get(f"/api/v1/public/consultations/{item.tracking_number}/").json()
    assert public["decision"] == "เห็นชอบ 08.30 น." and public["votes"]["in_favour"] == 2
    assert CaseEvent.objects.filter(case=item, type="progress").count() == 2
