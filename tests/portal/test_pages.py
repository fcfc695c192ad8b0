"""The citizen portal through Django's test client: the rules of each page (the browser tests in
test_browser.py walk the same flows in Chromium)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.crypto import decrypt_json
from core.models import Attachment, Case, CaseEvent
from tests.conftest import put_in_status, submit, user_named
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db

COMPLAINT = {
    "kind": "complaint", "category": "complaint:teacher-conduct", "title": "ครูไม่เข้าสอนวิชาคณิตศาสตร์",
    "description": "โรงเรียนบ้านหนองปลิง ครูไม่เข้าสอนติดต่อกันสามสัปดาห์", "contact_name": "สมศรี ใจดี",
    "contact_phone": "081 234 5678", "contact_email": "", "contact_line_id": "somsri", "consent": "on",
}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def browser_client(demo):
    return Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def receipt_of(client, response) -> tuple[str, str]:
    assert response.status_code == 302 and response["Location"] == "/receipt/", response.content[:500]
    page = client.get("/receipt/")
    assert page.status_code == 200
    return shown(page, "tracking-number"), shown(page, "access-key")


def shown(page, element_id: str) -> str:
    """The text of the element with ``element_id`` (its groups of four joined again)."""
    inner = re.search(rf'id="{element_id}">(.*?)</p>', page.content.decode(), re.S).group(1)
    return re.sub(r"<[^>]+>", "", inner)


def test_home_is_thai_whatever_the_browser_and_lists_promises_and_channels(browser_client):
    page = browser_client.get("/")
    assert page.status_code == 200 and page["Content-Language"] == "th"
    text = text_of(page)
    assert "ตอบรับเรื่องภายใน 1 วันทำการ และแจ้งผลภายใน 15 วันทำการ" in text  # the complaint SLA policy
    assert "ตอบรับเรื่องภายใน 1 วันทำการ และแจ้งผลภายใน 30 วันทำการ" in text  # corruption
    for channel in ("0 5600 0001", "@rabfang-demo", "ศูนย์ดำรงธรรม", "โทร 1111"):
        assert channel in text
    assert 'href="/corruption/"' in page.content.decode()


def test_english_switch_sets_the_language_for_later_pages(browser_client):
    switched = browser_client.post("/language/", {"language": "en", "next": "/submit/"})
    assert switched.status_code == 302 and switched["Location"] == "/submit/"
    page = browser_client.get("/submit/")
    assert page["Content-Language"] == "en"
    assert "Submit a complaint or a suggestion" in text_of(page)
    browser_client.post("/language/", {"language": "th", "next": "/"})
    assert "ส่งข้อร้องเรียนหรือข้อเสนอแนะ" in text_of(browser_client.get("/submit/"))


def test_submit_gives_a_receipt_shown_once(browser_client):
    upload = SimpleUploadedFile("หลักฐาน.pdf", PDF, content_type="application/pdf")
    response = browser_client.post("/submit/", {**COMPLAINT, "files": [upload]})
    tracking, key = receipt_of(browser_client, response)
    case = Case.objects.get(tracking_number=tracking)
    assert (case.kind, case.channel, case.category.code, case.anonymous) == ("complaint", "web", "teacher-conduct", False)
    assert decrypt_json(case.contact_encrypted) == {"name": "สมศรี ใจดี", "phone": "081 234 5678", "line_id": "somsri"}
    attachment = Attachment.objects.get(case=case)
    assert (attachment.original_name, attachment.content_type) == ("หลักฐาน.pdf", "application/pdf")
    assert list(case.events.values_list("type", "actor_kind")) == [("submit", "citizen"), ("attachment", "citizen")]
    # The receipt page carried the key once; it is gone now.
    again = browser_client.get("/receipt/")
    assert again.status_code == 302 and again["Location"] == "/track/"
    assert key not in browser_client.get("/track/").content.decode()


def test_receipt_has_a_qr_code_of_the_status_page_and_the_warning(browser_client):
    response = browser_client.post("/submit/", COMPLAINT)
    assert response.status_code == 302
    page = browser_client.get("/receipt/")
    html = page.content.decode()
    assert '<svg viewBox="0 0' in html and 'class="qr"' in html
    tracking = shown(page, "tracking-number")
    assert f'href="http://testserver/track/{tracking}/"' in html  # this site's own address, not a default
    assert "แสดงเพียงครั้งเดียว" in text_of(page)
    assert page["Cache-Control"] == "no-store"


def test_validation_errors_sit_next_to_the_field_in_thai_and_keep_what_was_typed(browser_client):
    before = Case.objects.count()
    response = browser_client.post("/submit/", {**COMPLAINT, "title": "", "consent": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_title_error"' in html and 'aria-invalid="true"' in html
    assert "กรุณากรอกข้อมูลในช่องนี้" in text_of(response)
    assert "กรุณาอ่านและยอมรับประกาศการคุ้มครองข้อมูลส่วนบุคคลก่อนส่งเรื่อง" in text_of(response)
    assert "โรงเรียนบ้านหนองปลิง ครูไม่เข้าสอนติดต่อกันสามสัปดาห์" in html  # the description stays
    assert 'value="081 234 5678"' in html
    assert Case.objects.count() == before


def test_a_disguised_attachment_is_refused_and_nothing_is_created(browser_client):
    before = Case.objects.count()
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    response = browser_client.post("/submit/", {**COMPLAINT, "files": [fake]})
    assert response.status_code == 400
    assert "แนบได้เฉพาะไฟล์ PDF, JPEG, PNG" in text_of(response)
    assert Case.objects.count() == before and Attachment.objects.count() == 0


def test_a_topic_of_the_other_kind_is_refused(browser_client):
    response = browser_client.post("/submit/", {**COMPLAINT, "kind": "suggestion"})
    assert response.status_code == 400
    assert "หัวข้อนี้เป็นของเรื่องอีกประเภทหนึ่ง" in text_of(response)


def test_corruption_is_anonymous_by_default_and_sealed(browser_client):
    page = browser_client.get("/corruption/")
    assert re.search(r'<input type="radio" name="identity" value="anonymous"[^>]*checked', page.content.decode())
    response = browser_client.post("/corruption/", {
        "identity": "anonymous", "category": "corruption:procurement", "title": "ฮั้วประมูลก่อสร้างอาคารเรียน",
        "description": "มีการแบ่งซื้อแบ่งจ้างเพื่อหลีกเลี่ยงการประกวดราคา", "consent": "on",
    })
    tracking, _ = receipt_of(browser_client, response)
    case = Case.objects.get(tracking_number=tracking)
    assert (case.kind, case.sealed, case.anonymous, case.contact_encrypted) == ("corruption", True, True, "")
    assert case.unit.is_integrity


def test_corruption_refuses_contact_details_while_anonymous_and_keeps_them_when_chosen(browser_client):
    fields = {"category": "corruption:bribery", "title": "เรียกรับเงิน", "description": "เรียกรับเงินค่าย้าย",
              "contact_phone": "081 234 5678", "consent": "on"}
    refused = browser_client.post("/corruption/", {**fields, "identity": "anonymous"})
    assert refused.status_code == 400 and "ท่านเลือกแจ้งโดยไม่ประสงค์ออกนาม" in text_of(refused)
    tracking, _ = receipt_of(browser_client, browser_client.post("/corruption/", {**fields, "identity": "sealed"}))
    case = Case.objects.get(tracking_number=tracking)
    assert case.anonymous is False and decrypt_json(case.contact_encrypted) == {"phone": "081 234 5678"}


def test_tracking_numbers_are_read_forgivingly(browser_client):
    from core.tracking import format_tracking, luhn_mod32_check

    payload = "CM01I0L1OABCD".replace("I", "1").replace("L", "1").replace("O", "0")  # has 0s and 1s to mistype
    tracking = format_tracking(payload + luhn_mod32_check(payload))
    Case.objects.filter(pk=submit().case.pk).update(tracking_number=tracking)
    typed = tracking.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert "o" in typed and "l" in typed
    response = browser_client.get("/track/", {"number": f"  {typed} "})
    assert response.status_code == 302 and response["Location"] == f"/track/{tracking}/"


def test_unknown_and_malformed_numbers_get_the_same_neutral_message(browser_client):
    tracking = submit().case.tracking_number
    unknown = tracking[:-1] + ("A" if tracking[-1] != "A" else "B")  # breaks the check character
    neutral = "ไม่พบเรื่องตามเลขที่นี้"
    for number in ("nonsense", unknown):
        assert neutral in text_of(browser_client.get("/track/", {"number": number}))
    # A well-formed number that is not ours: the status page answers the same.
    from core.tracking import tracking_number_new

    missing = browser_client.get(f"/track/{tracking_number_new('complaint')}/")
    assert missing.status_code == 404 and neutral in text_of(missing)


def test_status_page_shows_status_buddhist_era_dates_unit_and_no_private_part(browser_client):
    case = put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    page = browser_client.get(f"/track/{case.tracking_number}/")
    text = text_of(page)
    assert page.status_code == 200
    assert "กลุ่มบริหารงานบุคคล" in text and "อยู่ระหว่างดำเนินการ" in text
    year_be = case.submitted_at.year + 543
    assert re.search(rf"\d{{1,2}} (ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.) "
                     rf"({year_be}|{year_be + 1})", text)
    assert "ผู้ปกครอง" not in text and "081 234 5678" not in text  # nothing personal
    assert "รหัสเข้าถึง" in text  # the key form, not the conversation


def open_with_key(client, tracking: str, key: str):
    response = client.post(f"/track/{tracking}/", {"access_key": key})
    assert response.status_code == 302, text_of(response)[:400]
    return client.get(f"/track/{tracking}/")


def test_wrong_access_key_is_refused(browser_client):
    tracking = submit().case.tracking_number
    response = browser_client.post(f"/track/{tracking}/", {"access_key": "not-the-key"})
    assert response.status_code == 400 and "รหัสเข้าถึงไม่ตรงกับเรื่องนี้" in text_of(response)


def test_with_the_key_the_citizen_reads_replies_adds_information_and_rates_once(browser_client):
    receipt = submit()
    officer = user_named("officer1")
    case = put_in_status(receipt.case, "in_progress", unit="personnel", assignee=officer)
    case_transition(tracking=case.tracking_number, name="request_info", actor=officer,
                    params={"question": "ขอทราบชื่อครูและวันที่"})
    page = open_with_key(browser_client, case.tracking_number, receipt.access_key)
    assert "ขอทราบชื่อครูและวันที่" in text_of(page) and "สำนักงานรอข้อมูลเพิ่มเติมจากท่าน" in text_of(page)
    assert "ประเมินความพึงพอใจต่อคำตอบ" not in text_of(page)  # not answered yet

    added = browser_client.post(f"/track/{case.tracking_number}/message/", {"message": "ครูสมชาย 3–21 พ.ย."})
    assert added.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "in_progress"  # the paused case resumed
    assert "ครูสมชาย 3–21 พ.ย." in text_of(browser_client.get(f"/track/{case.tracking_number}/"))

    case_transition(tracking=case.tracking_number, name="respond", actor=officer, params={"reply": "ได้ตักเตือนแล้ว"})
    page = browser_client.get(f"/track/{case.tracking_number}/")
    assert "ได้ตักเตือนแล้ว" in text_of(page) and "ประเมินความพึงพอใจต่อคำตอบ" in text_of(page)
    rated = browser_client.post(f"/track/{case.tracking_number}/feedback/", {"score": "4", "comment": "รวดเร็ว"})
    assert rated.status_code == 302
    stored = Case.objects.get(pk=case.pk)
    assert (stored.satisfaction_score, stored.satisfaction_comment) == (4, "รวดเร็ว")
    again = browser_client.post(f"/track/{case.tracking_number}/feedback/", {"score": "1"})
    assert again.status_code == 302
    page = text_of(browser_client.get(f"/track/{case.tracking_number}/"))
    assert "เรื่องนี้ได้รับการประเมินความพึงพอใจแล้ว" in page and "ท่านให้คะแนนคำตอบ 4 จาก 5" in page
    assert Case.objects.get(pk=case.pk).satisfaction_score == 4
    assert CaseEvent.objects.filter(case=case, type="feedback").count() == 1


def test_actions_without_the_key_change_nothing(browser_client):
    case = submit().case
    response = browser_client.post(f"/track/{case.tracking_number}/message/", {"message": "แทรก"})
    assert response.status_code == 302
    assert not CaseEvent.objects.filter(case=case, type="citizen_message").exists()


def test_forgetting_the_key_hides_the_conversation(browser_client):
    receipt = submit()
    tracking = receipt.case.tracking_number
    open_with_key(browser_client, tracking, receipt.access_key)
    browser_client.post(f"/track/{tracking}/forget/")
    assert "ลืมรหัสเข้าถึงบนอุปกรณ์นี้" not in text_of(browser_client.get(f"/track/{tracking}/"))


def test_lookups_are_throttled_with_a_friendly_page(browser_client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_lookup": "3/min"}}
    tracking = submit().case.tracking_number
    statuses = [browser_client.get(f"/track/{tracking}/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    page = browser_client.get(f"/track/{tracking}/")
    assert "กรุณารอสักครู่" in text_of(page) and int(page["Retry-After"]) > 0


def test_security_headers_and_csrf(demo):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/submit/")
    policy = page["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "default-src 'self'" in policy
    assert page["X-Frame-Options"] == "DENY"
    before = Case.objects.count()
    refused = client.post("/submit/", COMPLAINT)
    assert refused.status_code == 403 and "แบบฟอร์มหมดอายุ" in text_of(refused)
    assert Case.objects.count() == before


def test_pages_load_nothing_from_other_sites(browser_client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("portal/portal.css"), encoding="utf-8").read()
    assert "url(" in css and not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    for path in ("/", "/submit/", "/corruption/", "/track/"):
        html = browser_client.get(path).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//(?!127\.0\.0\.1|testserver)', html.split("<main", 1)[0])
        assert "<style" not in html and "style=" not in html and "<script>" not in html


def test_unknown_page_is_a_page_not_json(browser_client):
    response = browser_client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert browser_client.get("/api/v1/no-such/").json()["error"]["code"] == "not_found"


def test_every_message_has_a_thai_translation():
    from pathlib import Path

    from babel.messages.pofile import read_po

    with (Path(__file__).resolve().parents[2] / "locale/th/LC_MESSAGES/django.po").open("rb") as file:
        catalogue = read_po(file)
    untranslated = [message.id for message in catalogue if message.id and (
        message.fuzzy or not (all(message.string) if isinstance(message.string, tuple) else message.string))]
    assert untranslated == []


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("text, background", [
    ("--ink", "--paper"), ("--muted", "--paper"), ("--brand", "--paper"), ("--paper", "--brand"),
    ("--danger", "--paper"), ("--danger", "--danger-tint"), ("--ok", "--ok-tint"), ("--ink", "--tint"),
    ("--muted", "--tint"), ("--ink", "--warn-tint"), ("--brand", "--tint"), ("--ink", "--danger-tint"),
])
def test_text_colours_meet_wcag_aa_contrast(text, background):
    from django.contrib.staticfiles import finders

    css = open(finders.find("portal/portal.css"), encoding="utf-8").read()
    colours = dict(re.findall(r"(--[a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    assert contrast(colours[text], colours[background]) >= 4.5


def test_a_replayed_receipt_cookie_shows_nothing(browser_client):
    browser_client.post("/submit/", COMPLAINT)
    carried = browser_client.cookies["rabfang_receipt"].value
    assert browser_client.get("/receipt/").status_code == 200
    browser_client.cookies["rabfang_receipt"] = carried
    replay = browser_client.get("/receipt/")
    assert replay.status_code == 302 and replay["Location"] == "/track/"


def test_switching_language_on_the_receipt_keeps_the_receipt_once(browser_client):
    response = browser_client.post("/submit/", COMPLAINT)
    tracking, key = receipt_of(browser_client, response)
    page = browser_client.get("/track/")  # the receipt is spent for GET ...
    token = re.search(r'name="receipt" value="([^"]+)"', receipt_html := _last_receipt(browser_client, COMPLAINT))
    assert token and page.status_code == 200
    english = browser_client.post("/receipt/", {"receipt": token.group(1), "language": "en"})
    assert english.status_code == 200 and english["Content-Language"] == "en"
    assert "Keep your access key now" in text_of(english)
    assert browser_client.get("/submit/")["Content-Language"] == "en"  # the choice sticks
    again = browser_client.post("/receipt/", {"receipt": token.group(1), "language": "th"})
    assert again.status_code == 302  # ... and each token shows it once
    assert receipt_html


def _last_receipt(client, fields) -> str:
    client.post("/submit/", fields)
    return client.get("/receipt/").content.decode()


def test_the_receipt_is_shown_at_once_when_the_cache_is_down(browser_client):
    from django.test import override_settings

    # A real fault: nothing listens on port 1. Throttles fail open; the key must not be lost.
    down = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=down):
        response = browser_client.post("/submit/", COMPLAINT)
    assert response.status_code == 200
    key = shown(response, "access-key")
    case = Case.objects.get(tracking_number=shown(response, "tracking-number"))
    from core.tracking import access_key_matches

    assert access_key_matches(key, case.access_key_hash)


def test_line_breaks_count_once_and_overlong_text_is_refused_in_thai(browser_client):
    lines = "\r\n".join(["ก" * 99] * 100)  # 9,900 letters + 99 breaks: 9,999 as the browser counts
    tracking, _ = receipt_of(browser_client, browser_client.post("/submit/", {**COMPLAINT, "description": lines}))
    assert Case.objects.get(tracking_number=tracking).description == lines.replace("\r\n", "\n")
    refused = browser_client.post("/submit/", {**COMPLAINT, "title": "ก" * 201})
    assert refused.status_code == 400
    assert "กรุณาย่อให้เหลือไม่เกิน 200 ตัวอักษร (ขณะนี้ 201 ตัวอักษร)" in text_of(refused)


def test_head_requests_answer(browser_client):
    for path in ("/", "/submit/", "/corruption/", "/track/"):
        assert browser_client.head(path).status_code == 200


def test_a_rating_that_no_longer_applies_says_why(browser_client):
    receipt = submit()
    tracking = receipt.case.tracking_number
    open_with_key(browser_client, tracking, receipt.access_key)
    response = browser_client.post(f"/track/{tracking}/feedback/", {"score": "9"})
    assert response.status_code == 302
    assert "ประเมินความพึงพอใจได้เมื่อสำนักงานตอบเรื่องแล้ว" in text_of(browser_client.get(f"/track/{tracking}/"))
    assert Case.objects.get(pk=receipt.case.pk).feedback_at is None


def test_published_channel_links_are_tel_mailto_or_https():
    from django.core.exceptions import ValidationError

    from portal.models import PublishedChannel

    channel = PublishedChannel.objects.first()
    for link in ("tel:+6656000001", "mailto:a@b.go.th", "https://line.me/R/ti/p/@x", ""):
        channel.link = link
        channel.full_clean()
    for link in ("javascript:alert(1)", "http://plain.example", "data:text/html,x"):
        channel.link = link
        with pytest.raises(ValidationError):
            channel.full_clean()


def test_the_key_cookie_is_encrypted_and_bound_to_its_case(browser_client):
    first, second = submit(), submit()
    open_with_key(browser_client, first.case.tracking_number, first.access_key)
    cookie = browser_client.cookies["rabfang_key"]
    assert first.access_key not in cookie.value and cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == f"/track/{first.case.tracking_number}/"
    # Moved to another case's path, it opens nothing there.
    browser_client.cookies["rabfang_key"] = cookie.value
    browser_client.cookies["rabfang_key"]["path"] = "/"
    page = text_of(browser_client.get(f"/track/{second.case.tracking_number}/"))
    assert "ลืมรหัสเข้าถึงบนอุปกรณ์นี้" not in page
    browser_client.cookies["rabfang_key"] = "tampered" + cookie.value
    assert "ลืมรหัสเข้าถึงบนอุปกรณ์นี้" not in text_of(browser_client.get(f"/track/{first.case.tracking_number}/"))
