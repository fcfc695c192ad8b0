"""The public statistics page and the handling guideline (reports/): rendered from the live figures and
configuration, Thai first, bad input refused next to its field."""

from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client

from core.calendar import BANGKOK
from core.models import Category, RoutingRule, SlaPolicy, Unit
from tests.conftest import submit

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=BANGKOK)


@pytest.fixture(autouse=True)
def travelled(demo):
    caches["fragments"].clear()
    with time_machine.travel(NOW, tick=False):
        yield


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_the_statistics_of_the_current_fiscal_year(client):
    submit(title="ครูตีนักเรียนที่โรงเรียนวัดโพธิ์", contact={"name": "สมหญิง ใจดี"})
    submit("corruption", title="ผู้อำนวยการรับเงินใต้โต๊ะ")
    html = page(client, "/stats/")
    assert "ปีงบประมาณ พ.ศ. 2569" in html and "ข้อร้องเรียน" in html
    assert '<svg class="chart"' in html and "<table" in html
    for personal in ("ครูตีนักเรียน", "สมหญิง", "ใต้โต๊ะ"):
        assert personal not in html


def test_a_period_with_no_case_says_so(client):
    html = page(client, "/stats/?fiscal_year=2568&part=")
    assert "ไม่มีเรื่องร้องเรียน" in html and "ปีงบประมาณ พ.ศ. 2568" in html


def test_a_month_and_a_half(client):
    submit()
    assert "มี.ค. 2569" in page(client, "/stats/?fiscal_year=2569&part=M03")
    assert "ครึ่งปีแรก" in page(client, "/stats/?fiscal_year=2569&part=H1")


@pytest.mark.parametrize("query,field", [("fiscal_year=2571&part=", "fiscal_year"), ("fiscal_year=x", "fiscal_year"),
                                         ("fiscal_year=2569&part=H3", "part"),
                                         ("fiscal_year=2569&part=M09", "part")])  # September 2026: not begun yet
def test_bad_choices_are_400_with_the_error_next_to_the_field(client, query, field):
    response = client.get(f"/stats/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error' in html or 'class="errorlist' in html
    assert "ปีงบประมาณ พ.ศ. 2569" in html  # the current year is shown meanwhile


def test_english(client):
    client.cookies["django_language"] = "en"
    assert "Fiscal year 2026" in page(client, "/stats/")


def test_the_guideline_follows_the_configuration(client):
    html = page(client, "/guideline/")
    assert "15 วันทำการ" in html  # the complaint policy's answer time
    assert "หน่วยตรวจสอบภายใน" in html  # the sealed channel's unit
    personnel = Category.objects.get(kind="complaint", code="personnel")
    SlaPolicy.objects.filter(kind="complaint", category=None, priority="").update(resolve_value=Decimal(12))
    finance = Unit.objects.get(code="finance")
    RoutingRule.objects.create(name="ย้ายไปการเงิน", position=0, kind="complaint", category=personnel, unit=finance)
    html = page(client, "/guideline/")
    assert "12 วันทำการ" in html and "15 วันทำการ" not in html.split("ข้อเสนอแนะ")[0]
    row = html.split(personnel.name_th)[1].split("</tr>")[0]
    assert finance.name_th in row
