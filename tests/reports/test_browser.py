"""The statistics page and the guideline in headless Chromium: phone and desktop screenshots into
test-artifacts/reports/, axe-core, no sideways scrolling, the period chosen with the keyboard."""

import pytest

from tests.conftest import submit, user_named
from tests.portal.conftest import visit  # noqa: F401 - a fixture
from workflows.citizen import citizen_feedback_give
from workflows.transitions import case_transition

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
ARTIFACTS = "reports"


def answered(score: int | None = None, **fields) -> None:
    receipt = submit(**fields)
    tracking = receipt.case.tracking_number
    case_transition(tracking=tracking, name="assign", actor=user_named("supervisor1"), params={"assignee": "officer1"})
    case_transition(tracking=tracking, name="accept", actor=user_named("officer1"))
    case_transition(tracking=tracking, name="respond", actor=user_named("officer1"), params={"reply": "ดำเนินการแล้ว"})
    if score:
        citizen_feedback_give(tracking=tracking, access_key=receipt.access_key, score=score)


def test_the_statistics_page_and_an_empty_half_year(visit):  # noqa: F811
    answered(5)
    answered(4, channel="phone")
    answered()
    submit("suggestion")
    submit("corruption")
    tab = visit()
    tab.go("/stats/")
    page = tab.page
    assert "ปีงบประมาณ พ.ศ. 2570" in page.locator("#period").inner_text()
    assert page.get_by_role("img", name="เรื่องที่รับและดำเนินการแล้วเสร็จ รายเดือน").count() == 1
    assert page.locator("ul.summary li").first.inner_text().startswith("5")
    tab.shoot("statistics")

    page.get_by_label("ปีงบประมาณ", exact=True).select_option("2569")
    page.get_by_label("ช่วงเวลา").focus()
    page.get_by_label("ช่วงเวลา").select_option("H1")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/stats/?fiscal_year=2569&part=H1")
    assert page.get_by_role("status").inner_text() == "ไม่มีเรื่องร้องเรียน"
    tab.shoot("statistics-empty")


def test_the_guideline(visit):  # noqa: F811
    tab = visit()
    tab.go("/guideline/")
    page = tab.page
    assert page.get_by_role("heading", level=1).inner_text().startswith("ขั้นตอนการจัดการ")
    assert "15 วันทำการ" in page.locator("#kind-complaint").locator("..").inner_text()
    tab.shoot("guideline")
