"""The public's participation pages through Django's test client (issue 15): consultations, an item's page, giving
an opinion and reading its status, following and stopping, the "you said, we did" board. The Chromium walk is in
test_walk.py."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from core.models import Attachment, Case, Follower, Opinion
from tests.conftest import submit, user_named
from workflows.consultation import (
    OpinionInput,
    consultation_document_publish,
    consultation_questions_set,
    opinion_hide,
    opinion_submit,
    theme_save,
)
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def client(demo):
    return Client()  # Thai, as a citizen's browser gets by default


@pytest.fixture
def item(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = submit("codecision", title="ปรับเวลาเข้าเรียนของโรงเรียนในสังกัด", unit_code="personnel",
                  description="สำนักงานเสนอให้โรงเรียนเริ่มเรียนเวลา 08.30 น.").case
    supervisor = user_named("supervisor1")
    consultation_questions_set(tracking=case.tracking_number, actor=supervisor,
                               questions=[{"th": "เวลาเข้าเรียนที่เหมาะสมคือกี่โมง", "en": "What time should school start?"}])
    document = Attachment(case=case, original_name="ร่างประกาศ.pdf", content_type="application/pdf", size=len(PDF),
                          sha256="0" * 64)
    document.file.save("draft.pdf", ContentFile(PDF), save=True)
    Attachment(case=case, original_name="internal.pdf", content_type="application/pdf", size=len(PDF),
               sha256="1" * 64).file.save("internal.pdf", ContentFile(PDF), save=True)
    consultation_document_publish(tracking=case.tracking_number, actor=supervisor, attachment_id=document.pk,
                                  public=True)
    now = timezone.now()
    case_transition(tracking=case.tracking_number, name="open_consultation", actor=supervisor,
                    params={"opens_at": now, "closes_at": now + timedelta(days=7), "committee": "participation"})
    return Case.objects.get(pk=case.pk)


def test_a_draft_is_not_public_and_an_open_consultation_is_listed(client, item):
    draft = submit("codecision", title="ร่างภายใน", unit_code="personnel").case
    listed = text_of(client.get("/participation/"))
    assert "ปรับเวลาเข้าเรียนของโรงเรียนในสังกัด" in listed and "ร่างภายใน" not in listed
    assert client.get(f"/participation/{draft.tracking_number}/").status_code == 404
    assert client.get(f"/participation/{submit().case.tracking_number}/").status_code == 404  # a complaint
    assert client.get("/participation/nonsense/").status_code == 404


def test_the_item_page_offers_the_question_its_public_documents_and_the_form(client, item):
    page = client.get(f"/participation/{item.tracking_number}/")
    text = text_of(page)
    assert page.status_code == 200 and "สำนักงานเสนอให้โรงเรียนเริ่มเรียนเวลา 08.30 น." in text
    assert "ร่างประกาศ.pdf" in text and "internal.pdf" not in text
    assert "เวลาเข้าเรียนที่เหมาะสมคือกี่โมง" in text and "คณะกรรมการส่งเสริมการมีส่วนร่วม" in text
    public = item.attachments.get(public=True)
    download = client.get(f"/participation/{item.tracking_number}/documents/{public.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    internal = item.attachments.get(public=False)
    assert client.get(f"/participation/{item.tracking_number}/documents/{internal.pk}/").status_code == 404


def test_an_opinion_gets_a_number_whose_page_tells_what_became_of_it(client, item):
    question = item.consultation_questions.get()
    response = client.post(f"/participation/{item.tracking_number}/opinion/", {
        "opinion-stance": "support", "opinion-body": "เห็นด้วย เด็กจะได้ไม่ต้องรีบ", f"opinion-q{question.pk}": "08.30",
        "opinion-group": "parents", "opinion-contact_email": "mother@example.com", "opinion-consent": "on"})
    given = Opinion.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/participation/opinions/{given.tracking_number}/"
    status = text_of(client.get(response["Location"]))
    assert given.tracking_number in status and "ปรับเวลาเข้าเรียนของโรงเรียนในสังกัด" in status
    assert given.answers == {str(question.pk): "08.30"} and given.group.code == "parents"
    # "Track a case" takes an opinion's number too.
    assert client.get(f"/track/{given.tracking_number.lower()}/")["Location"] == (
        f"/participation/opinions/{given.tracking_number}/")
    theme_save(tracking=item.tracking_number, actor=user_named("supervisor1"), title="เวลาเข้าเรียน",
               answer="จะเสนอคณะกรรมการ", opinions=[given.tracking_number])
    status = text_of(client.get(f"/participation/opinions/{given.tracking_number}/"))
    assert "เวลาเข้าเรียน" in status and "จะเสนอคณะกรรมการ" in status
    assert "mother@example.com" not in text_of(client.get(f"/participation/{item.tracking_number}/"))


def test_bad_input_is_refused_in_thai_next_to_the_field_and_nothing_is_written(client, item):
    response = client.post(f"/participation/{item.tracking_number}/opinion/", {
        "opinion-body": "", "opinion-contact_email": "mother@example.com"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "กรุณาเลือก" in html and "กรุณากรอก" in html  # stance and body, in Thai
    assert re.search(r"ข้อมูลส่วนบุคคล", html)
    assert Opinion.objects.count() == 0


def test_no_opinion_after_the_window_closes(client, item):
    Case.objects.filter(pk=item.pk).update(consultation_closes_at=timezone.now() - timedelta(seconds=1))
    response = client.post(f"/participation/{item.tracking_number}/opinion/", {
        "opinion-stance": "support", "opinion-body": "ช้าไป"})
    assert response.status_code == 409 and Opinion.objects.count() == 0
    page = text_of(client.get(f"/participation/{item.tracking_number}/"))
    assert "ปิดรับความคิดเห็นแล้ว" in page and "ส่งความคิดเห็น" not in page


def test_hidden_opinions_never_show_but_are_counted_as_received(client, item):
    kept = opinion_submit(tracking=item.tracking_number, opinion=OpinionInput(stance="oppose", body="ควรเป็น 08.00 น.",
                                                                              answers={}))
    hidden = opinion_submit(tracking=item.tracking_number, opinion=OpinionInput(stance="oppose", body="ถ้อยคำหยาบคาย",
                                                                                answers={}))
    opinion_hide(number=hidden.tracking_number, actor=user_named("supervisor1"), reason="ถ้อยคำไม่สุภาพ")
    page = text_of(client.get(f"/participation/{item.tracking_number}/"))
    assert kept.body in page and hidden.body not in page
    assert "ได้รับความคิดเห็น 2 รายการ" in page
    status = text_of(client.get(f"/participation/opinions/{hidden.tracking_number}/"))
    assert "ถ้อยคำไม่สุภาพ" in status and hidden.body not in status


def test_following_and_stopping_by_the_link(client, item):
    bad = client.post(f"/participation/{item.tracking_number}/follow/", {"email": "nope"})
    assert bad.status_code == 400 and Follower.objects.count() == 0
    done = client.post(f"/participation/{item.tracking_number}/follow/", {"email": "f@example.com", "consent": "on"})
    assert done.status_code == 302 and Follower.objects.filter(stopped_at=None).count() == 1
    from workflows.follow_up import unfollow_token

    url = f"/participation/unfollow/{unfollow_token(Follower.objects.get())}/"
    assert client.get(url).status_code == 200 and Follower.objects.get().stopped_at is None  # a GET asks only
    assert client.post(url).status_code == 302 and Follower.objects.get().stopped_at is not None
    assert client.post("/participation/unfollow/forged/").status_code == 404


def test_the_board_lists_decisions_and_adopted_suggestions_without_citizens_words(client, item):
    suggestion = submit("suggestion", title="ขอจุดรับส่งหน้าบ้านนายสมชาย").case
    officer = user_named("officer1")
    case_transition(tracking=suggestion.tracking_number, name="assign", actor=user_named("supervisor1"),
                    params={"assignee": "officer1"})
    case_transition(tracking=suggestion.tracking_number, name="consider", actor=officer)
    case_transition(tracking=suggestion.tracking_number, name="adopt", actor=officer,
                    params={"answer": "จัดจุดรับส่งนักเรียนหน้าโรงเรียนแล้ว"})
    board = text_of(client.get("/participation/board/"))
    assert "จัดจุดรับส่งนักเรียนหน้าโรงเรียนแล้ว" in board and "นายสมชาย" not in board
