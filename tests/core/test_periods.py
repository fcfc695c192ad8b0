"""The reporting periods: the Thai fiscal year in the Buddhist Era, its halves and quarters, calendar months."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from core.calendar import BANGKOK
from core.errors import ValidationFailed
from core.periods import fiscal_year_period, period_parse


def bangkok(*args) -> datetime:
    return datetime(*args, tzinfo=BANGKOK)


def test_fiscal_year_2569_runs_from_october_2025_to_september_2026():
    year = period_parse("2569")
    assert (year.kind, year.fiscal_year) == ("year", 2569)
    assert year.start == bangkok(2025, 10, 1) and year.end == bangkok(2026, 10, 1)
    assert year.contains(bangkok(2026, 9, 30, 23, 59)) and not year.contains(bangkok(2026, 10, 1))
    assert not year.contains(bangkok(2025, 10, 1) - timedelta(microseconds=1))
    assert [month.code for month in year.months()] == [
        "2568-10", "2568-11", "2568-12", "2569-01", "2569-02", "2569-03",
        "2569-04", "2569-05", "2569-06", "2569-07", "2569-08", "2569-09"]


@pytest.mark.parametrize("code,start,end", [
    ("2569-H1", (2025, 10, 1), (2026, 4, 1)),  # ITA's first round: October to March
    ("2569-H2", (2026, 4, 1), (2026, 10, 1)),
    ("2569-Q1", (2025, 10, 1), (2026, 1, 1)),
    ("2569-Q2", (2026, 1, 1), (2026, 4, 1)),
    ("2569-Q3", (2026, 4, 1), (2026, 7, 1)),
    ("2569-Q4", (2026, 7, 1), (2026, 10, 1)),
    ("2568-10", (2025, 10, 1), (2025, 11, 1)),
    ("2568-12", (2025, 12, 1), (2026, 1, 1)),
    ("2569-02", (2026, 2, 1), (2026, 3, 1)),
])
def test_halves_quarters_and_months(code, start, end):
    period = period_parse(code)
    assert (period.start, period.end) == (bangkok(*start), bangkok(*end))
    assert period.fiscal_year == 2569  # every one of them lies in fiscal 2569


def test_the_periods_tile_the_year_without_gaps_or_overlaps():
    for parts in (["H1", "H2"], ["Q1", "Q2", "Q3", "Q4"]):
        periods = [period_parse(f"2569-{part}") for part in parts]
        assert periods[0].start == period_parse("2569").start and periods[-1].end == period_parse("2569").end
        assert all(a.end == b.start for a, b in zip(periods, periods[1:], strict=False))
    assert sum(len(period_parse(f"2569-Q{q}").months()) for q in range(1, 5)) == 12


def test_the_fiscal_year_of_a_moment_agrees_with_the_periods():
    assert fiscal_year_period(bangkok(2026, 9, 30, 23, 59)).code == "2569"
    assert fiscal_year_period(bangkok(2026, 10, 1, 0, 0)).code == "2570"
    # Bangkok's midnight, not UTC's: 30 Sep 2026 17:30 UTC is already 1 October in Bangkok.
    assert fiscal_year_period(datetime(2026, 9, 30, 17, 30, tzinfo=UTC)).code == "2570"
    assert fiscal_year_period(datetime(2026, 9, 30, 16, 59, tzinfo=UTC)).code == "2569"


def test_labels_in_thai_and_english():
    with translation.override("th"):
        assert period_parse("2569").label("th") == "ปีงบประมาณ พ.ศ. 2569 (ต.ค. 2568 – ก.ย. 2569)"
        assert period_parse("2569-H1").label("th") == "ครึ่งปีแรก ปีงบประมาณ พ.ศ. 2569 (ต.ค. 2568 – มี.ค. 2569)"
        assert period_parse("2569-Q3").label("th") == "ไตรมาสที่ 3 ปีงบประมาณ พ.ศ. 2569 (เม.ย. 2569 – มิ.ย. 2569)"
        assert period_parse("2568-10").label("th") == "ต.ค. 2568"
    with translation.override("en"):
        assert period_parse("2569").label("en") == "Fiscal year 2026 (Oct 2025 – Sep 2026)"
        assert period_parse("2569-H2").label("en") == "Second half of fiscal year 2026 (Apr 2026 – Sep 2026)"


@pytest.mark.parametrize("code", ["", "abc", "2569-H3", "2569-Q5", "2569-13", "2569-00", "1999", "2026-10",
                                  "2569-Q1-", "25691", "2569 H1", None])
def test_anything_else_is_refused_with_the_field(code):
    with pytest.raises(ValidationFailed) as refused:
        period_parse(code)
    assert "period" in refused.value.fields


def test_codes_are_read_loosely_as_typed():
    assert period_parse(" 2569-h1 ").code == "2569-H1"
