"""Satisfaction surveys (issue 15, seed 3.5): built by heads and the director, answered anonymously on the portal,
one response per form token and per invitation (also under real concurrent connections), results per question and
stakeholder group with free text only once reviewed, the per-case ratings beside them, and the closing notification's
link."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import Case, Notification, Survey, SurveyAnswer, SurveyResponse
from core.surveys import survey_results, survey_results_csv
from tests.conftest import put_in_status, submit, user_named
from tests.participation.test_portal_pages import text_of
from tests.workspace.conftest import post
from workflows.surveys import (
    survey_create,
    survey_form_token,
    survey_invitations_create,
    survey_question_add,
    survey_respond,
    survey_text_review,
)
from workflows.transitions import case_transition

CHOICES = [{"th": "เว็บไซต์", "en": "Website"}, {"th": "โทรศัพท์", "en": "Telephone"}, {"th": "มาด้วยตนเอง"}]


def make_survey(**overrides) -> Survey:
    now = timezone.now()
    head = user_named("supervisor1")
    survey = survey_create(actor=head, **({"code": "service-2570", "title_th": "ความพึงพอใจต่อการให้บริการ",
                                          "subject": "service", "opens_at": now - timedelta(hours=1),
                                          "closes_at": now + timedelta(days=30), "groups": ["parents", "community"]}
                                         | overrides))
    survey_question_add(actor=head, survey_code=survey.code, kind="scale", text_th="ความพึงพอใจโดยรวม",
                        text_en="Overall satisfaction")
    survey_question_add(actor=head, survey_code=survey.code, kind="multiple", text_th="ช่องทางที่ใช้", choices=CHOICES)
    survey_question_add(actor=head, survey_code=survey.code, kind="text", text_th="ข้อเสนอแนะ", required=False)
    return survey


def answer(survey: Survey, scale=5, chosen=(0,), text="", **kwargs) -> SurveyResponse:
    scale_q, multiple_q, text_q = survey.questions.all()
    answers = {scale_q.pk: scale, multiple_q.pk: list(chosen), **({text_q.pk: text} if text else {})}
    return survey_respond(code=survey.code, answers=answers, form_token=kwargs.pop("form_token", None)
                          or survey_form_token(survey), **kwargs)


@pytest.mark.django_db
def test_building_a_survey_is_for_heads_the_director_and_administrators(demo):
    with pytest.raises(PermissionDenied):
        survey_create(actor=user_named("officer1"), code="x", title_th="x", subject="service",
                      opens_at=timezone.now(), closes_at=timezone.now() + timedelta(days=1))
    survey = make_survey()
    with pytest.raises(ValidationFailed) as refused:
        survey_question_add(actor=user_named("director"), survey_code=survey.code, kind="single", text_th="x",
                            choices=CHOICES[:1])
    assert "choices" in refused.value.fields
    with pytest.raises(ValidationFailed):
        make_survey(code="again", closes_at=timezone.now() - timedelta(days=2))


@pytest.mark.django_db
def test_a_response_is_anonymous_and_each_form_and_invitation_counts_once(demo):
    survey = make_survey()
    token = survey_form_token(survey)
    response = answer(survey, form_token=token, group="parents", text="บริการดี")
    assert (response.group.code, response.submitted_on) == ("parents", timezone.localdate())
    assert token not in response.form_token_hash and response.invitation is None
    with pytest.raises(Conflict):
        answer(survey, form_token=token)
    with pytest.raises(ValidationFailed):
        answer(survey, form_token="forged")
    other = Survey.objects.create(code="other", title_th="อื่น", subject="mission", opens_at=survey.opens_at,
                                  closes_at=survey.closes_at, created_by=user_named("director"),
                                  created_at=timezone.now())
    with pytest.raises(ValidationFailed):
        answer(survey, form_token=survey_form_token(other))  # another survey's form
    scale_q = survey.questions.first()
    for bad, field in (({"scale": 6}, f"q{scale_q.pk}"), ({"scale": None}, f"q{scale_q.pk}"),
                       ({"chosen": (0, 0)}, f"q{survey.questions.all()[1].pk}"), ({"group": "teachers"}, "group")):
        with pytest.raises(ValidationFailed) as refused:
            answer(survey, **bad)
        assert field in refused.value.fields, (bad, refused.value.fields)
    assert SurveyResponse.objects.count() == 1 and SurveyAnswer.objects.count() == 3


@pytest.mark.django_db
def test_invitation_only_surveys_take_one_response_per_link(demo):
    survey = make_survey(invitation_only=True)
    with pytest.raises(PermissionDenied):
        answer(survey)
    [link] = survey_invitations_create(actor=user_named("supervisor1"), survey_code=survey.code, count=1,
                                       group="community")
    assert answer(survey, invitation=link).group.code == "community"
    with pytest.raises(Conflict):
        answer(survey, invitation=link)
    with pytest.raises(PermissionDenied):
        answer(survey, invitation="made-up")


@pytest.mark.django_db
def test_the_period_is_enforced(demo):
    survey = make_survey()
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Conflict):
        answer(Survey.objects.get(pk=survey.pk))
    assert SurveyResponse.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_one_form_sent_twice_at_once_counts_once(demo):
    survey = make_survey()
    token, outcomes, start = survey_form_token(survey), [], threading.Barrier(2)

    def send():
        start.wait()
        try:
            answer(survey, form_token=token)
            outcomes.append("recorded")
        except Conflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["recorded", "refused"] and SurveyResponse.objects.count() == 1


@pytest.mark.django_db
def test_results_per_question_and_group_with_text_after_review_and_case_ratings_beside(demo):
    survey = make_survey()
    answer(survey, scale=5, chosen=(0, 1), group="parents", text="ขอบคุณครับ")
    answer(survey, scale=3, chosen=(1,), group="parents", text="เบอร์ผมคือ 0812345678")
    answer(survey, scale=4, chosen=(2,))
    rated = put_in_status(submit().case, "responded")
    Case.objects.filter(pk=rated.pk).update(satisfaction_score=2, feedback_at=timezone.now())
    results = survey_results(survey, unstated="ไม่ระบุ")
    scale, channels, texts = results.questions
    assert (results.responses, scale.average, scale.count) == (3, 4.0, 3)
    assert scale.distribution == [("1", 0), ("2", 0), ("3", 1), ("4", 1), ("5", 1)]
    assert scale.by_group == [("เครือข่ายผู้ปกครอง", 2, 4.0), ("ไม่ระบุ", 1, 4.0)]
    assert [count for _label, count in channels.distribution] == [1, 2, 1]
    assert texts.texts == []  # nothing reviewed yet
    first, second = SurveyAnswer.objects.filter(question=texts.question).order_by("pk")
    survey_text_review(actor=user_named("supervisor1"), answer_id=first.pk, review="published")
    survey_text_review(actor=user_named("supervisor1"), answer_id=second.pk, review="hidden")
    assert [a.text for a in survey_results(survey).questions[2].texts] == ["ขอบคุณครับ"]
    assert len(survey_results(survey, reviewing=True).questions[2].texts) == 2
    assert results.case_ratings["count"] == 1 and results.case_ratings["average"] == 2
    exported = survey_results_csv(survey_results(survey)).decode("utf-8-sig")
    assert "ความพึงพอใจโดยรวม" in exported and "0812345678" not in exported


@pytest.mark.django_db
def test_the_closing_message_offers_the_open_service_survey(demo, smtp):
    from core.notifications.delivery import notification_deliver

    make_survey()
    officer = user_named("officer1")
    case = put_in_status(submit(contact={"email": "p@example.com"}).case, "responded", unit="personnel",
                         assignee=officer)
    case_transition(tracking=case.tracking_number, name="close", actor=officer)
    row = Notification.objects.get(event__case=case, template="closed", channel="email")
    assert notification_deliver(notification_id=row.pk) == "sent"
    assert "/surveys/service-2570/" in smtp.messages[-1].get_content()


@pytest.mark.django_db
def test_the_portal_form_its_one_time_token_and_the_results_after_closing(demo):
    survey = make_survey()
    client = Client()
    page = client.get(f"/surveys/{survey.code}/")
    assert page.status_code == 200 and "ความพึงพอใจโดยรวม" in text_of(page)
    token = page.context["form"].initial["form_token"]
    scale_q, multiple_q, _text_q = survey.questions.all()
    body = {"form_token": token, f"q{scale_q.pk}": "4", f"q{multiple_q.pk}": ["0", "2"], "group": "community"}
    bad = client.post(f"/surveys/{survey.code}/", {**body, f"q{scale_q.pk}": ""})
    assert bad.status_code == 400 and "กรุณาเลือก" in bad.content.decode()
    assert client.post(f"/surveys/{survey.code}/", body).status_code == 302
    again = client.post(f"/surveys/{survey.code}/", body)
    assert again.status_code == 409 and SurveyResponse.objects.count() == 1
    assert client.get(f"/surveys/{survey.code}/results/").status_code == 404  # still open
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    closed = client.post(f"/surveys/{survey.code}/", body)
    assert closed.status_code == 409
    results = text_of(client.get(f"/surveys/{survey.code}/results/"))
    assert "ผู้ตอบ 1 คน: ชุมชนและองค์กรปกครองส่วนท้องถิ่น 1" in results
    assert "ความพึงพอใจโดยรวม" in results and "เฉลี่ย 4.0 จาก 5" in results


@pytest.mark.django_db
def test_the_workspace_builds_a_survey_and_makes_invitation_links_shown_once(desk):
    head = desk("supervisor1")
    assert desk("officer1").get("/staff/surveys/").status_code == 404
    now = timezone.localtime()
    created = post(head, "/staff/surveys/", {
        "code": "plan-2570", "title_th": "ความพึงพอใจต่อแผนปฏิบัติราชการ", "subject": "strategy",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"), "closes_at": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")})
    assert created.status_code == 302
    bad = post(head, "/staff/surveys/plan-2570/questions/", {"kind": "single", "text_th": "ช่องทาง",
                                                            "choices": "เว็บไซต์ | Website"})
    assert bad.status_code == 400 and Survey.objects.get().questions.count() == 0
    assert post(head, "/staff/surveys/plan-2570/questions/", {
        "kind": "single", "text_th": "ช่องทาง", "choices": "เว็บไซต์ | Website\nโทรศัพท์", "required": "on"}
        ).status_code == 302
    assert Survey.objects.get().questions.get().choices == [{"th": "เว็บไซต์", "en": "Website"},
                                                            {"th": "โทรศัพท์", "en": ""}]
    links = post(head, "/staff/surveys/plan-2570/invitations/", {"count": "3", "group": "teachers"})
    assert links.status_code == 200 and links.content.decode().count("?invitation=") == 3
    assert "?invitation=" not in head.get("/staff/surveys/plan-2570/").content.decode()  # shown once
    exported = head.get("/staff/surveys/plan-2570/export/")
    assert exported.status_code == 200 and "ช่องทาง" in exported.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_the_api_builds_answers_and_reads_a_survey(api, staff):
    head = staff("supervisor1")
    now = timezone.now()
    body = {"code": "service-api", "title_th": "บริการ", "subject": "service", "opens_at": now.isoformat(),
            "closes_at": (now + timedelta(days=3)).isoformat(), "groups": ["parents"]}
    assert staff("officer1").post("/api/v1/surveys/", body, format="json").status_code == 403
    assert head.post("/api/v1/surveys/", {**body, "subject": "weather"}, format="json").status_code == 400
    assert head.post("/api/v1/surveys/", body, format="json").status_code == 201
    question = head.post("/api/v1/surveys/service-api/questions/", {"kind": "scale", "text_th": "พอใจเพียงใด"},
                         format="json")
    assert question.status_code == 201
    form = api.get("/api/v1/public/surveys/service-api/").json()
    assert form["groups"] == ["parents"] and form["questions"][0]["kind"] == "scale"
    url = "/api/v1/public/surveys/service-api/responses/"
    qid = str(question.json()["id"])
    for bad in ({"answers": {qid: 9}}, {"answers": {"x": 1}}, {"answers": {qid: 3}, "group": "teachers"},
                {"answers": {qid: 3}, "surprise": True}):
        response = api.post(url, {"form_token": form["form_token"], **bad}, format="json")
        assert response.status_code == 400, (bad, response.json())
    assert api.post(url, {"form_token": form["form_token"], "answers": {qid: 4}}, format="json").status_code == 201
    again = api.post(url, {"form_token": form["form_token"], "answers": {qid: 4}}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    results = head.get("/api/v1/surveys/service-api/results/").json()
    assert results["responses"] == 1 and results["questions"][0]["average"] == 4.0
    assert api.get("/api/v1/public/surveys/service-api/results/").status_code == 404  # still open
    tokens = head.post("/api/v1/surveys/service-api/invitations/", {"count": 2}, format="json")
    assert tokens.status_code == 201 and len(tokens.json()["tokens"]) == 2
