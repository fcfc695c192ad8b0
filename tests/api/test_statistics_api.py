"""GET /api/v1/public/stats/: the transparency statistics (docs/reports.md); the figures themselves are checked in
tests/core/test_statistics.py."""

import json
from datetime import datetime

import pytest
import time_machine

from core.calendar import BANGKOK
from core.models import StatisticsSnapshot
from tests.conftest import submit

pytestmark = pytest.mark.django_db

URL = "/api/v1/public/stats/"
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=BANGKOK)  # in the first half of fiscal 2569


@pytest.fixture
def travelled(demo):
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_current_fiscal_year_by_default(api, travelled):
    submit(contact={"name": "สมหญิง ใจดี", "phone": "0812345678"}, title="ครูตีนักเรียนที่โรงเรียนวัดโพธิ์")
    submit("corruption", title="ผู้อำนวยการรับเงินใต้โต๊ะ")
    response = api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["period"]["code"] == "2569" and body["scope"] == "all" and body["empty"] is False
    assert body["totals"]["received"] == 2 and body["sealed"]["received"] == 1
    assert body["period"]["label"].startswith("ปีงบประมาณ พ.ศ. 2569")
    assert [month["period"] for month in body["months"]][:2] == ["2568-10", "2568-11"]
    text = json.dumps(body, ensure_ascii=False)
    for personal in ("สมหญิง", "0812345678", "ครูตีนักเรียน", "ใต้โต๊ะ", "CM-", "CR-"):
        assert personal not in text


@pytest.mark.parametrize("query,code", [("fiscal_year=2569", "2569"), ("period=2569-H1", "2569-H1"),
                                        ("period=2569-q2", "2569-Q2"), ("period=2568-10", "2568-10"),
                                        ("fiscal_year=2568", "2568")])
def test_a_period_by_its_code(api, travelled, query, code):
    assert api.get(f"{URL}?{query}").json()["period"]["code"] == code


def test_an_empty_period_says_so(api, travelled):
    body = api.get(f"{URL}?period=2568-10").json()
    assert body["empty"] is True and body["empty_message"] == "ไม่มีเรื่องร้องเรียน"
    english = api.get(f"{URL}?period=2568-10", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["empty_message"] == "No complaints were received in this period."
    assert english["period"]["label"] == "Oct 2025"


def test_one_kind(api, travelled):
    submit()
    submit("corruption")
    body = api.get(f"{URL}?scope=corruption").json()
    assert body["totals"]["received"] == 1 and body["by_channel"] == []


@pytest.mark.parametrize("query,field", [
    ("fiscal_year=abc", "fiscal_year"), ("fiscal_year=25690", "fiscal_year"), ("fiscal_year=1999", "period"),
    ("period=2569-H3", "period"), ("period=2569-13", "period"), ("period=", "period"),
    ("period=2570", "period"),  # not begun yet
    ("period=2569-10", "period"),  # October 2026: not begun yet
    ("fiscal_year=2569&period=2569-H1", "period"), ("scope=everything", "scope"), ("year=2569", "year"),
])
def test_bad_queries_are_400_and_write_nothing(api, travelled, query, field):
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"], error
    assert not StatisticsSnapshot.objects.exists()


def test_bad_period_errors_are_in_thai_by_default(api, travelled):
    message = api.get(f"{URL}?period=2570").json()["error"]["fields"]["period"][0]
    assert "2570" in message and "ยังไม่" in message
