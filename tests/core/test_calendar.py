"""Business-time arithmetic against known Thai dates."""

from datetime import date, datetime, timedelta

import pytest

from core.calendar import (
    BANGKOK,
    BUSINESS_DAY_SECONDS,
    BusinessCalendar,
    TwentyFourSeven,
    thai_holidays,
)

DAY = BUSINESS_DAY_SECONDS


def bkk(*args) -> datetime:
    return datetime(*args, tzinfo=BANGKOK)


@pytest.mark.parametrize(
    "start,days,expected",
    [
        # 31 Dec (New Year's Eve), 1 Jan, the 2 Jan 2026 special holiday and the weekend are skipped.
        (bkk(2025, 12, 30, 16, 0), 2, bkk(2026, 1, 6, 16, 0)),
        # Songkran 2026 is Mon 13 – Wed 15 April: Friday + 1 business day lands on Thursday.
        (bkk(2026, 4, 10, 10, 0), 1, bkk(2026, 4, 16, 10, 0)),
        # Visakha Bucha falls on Sunday 31 May 2026; Monday 1 June is its substitution day.
        (bkk(2026, 5, 29, 9, 0), 1, bkk(2026, 6, 2, 9, 0)),
        # Start outside office hours: counting begins at the next opening.
        (bkk(2026, 11, 21, 10, 0), 1, bkk(2026, 11, 23, 16, 30)),  # Saturday -> Monday's close
        (bkk(2026, 11, 24, 7, 0), 1, bkk(2026, 11, 24, 16, 30)),
        (bkk(2026, 11, 24, 18, 0), 1, bkk(2026, 11, 25, 16, 30)),
        # 15 business days across the 5 and 7 December 2026 holidays (Father's Day and its substitute).
        (bkk(2026, 11, 24, 10, 0), 15, bkk(2026, 12, 17, 10, 0)),
    ],
)
def test_adding_business_days(start, days, expected):
    calendar = BusinessCalendar()
    assert calendar.add(start, days * DAY) == expected
    assert calendar.between(start, expected) == days * DAY


def test_holidays_come_from_the_holidays_package_in_thai():
    names = thai_holidays(2026)
    assert "สงกรานต์" in names[date(2026, 4, 13)]
    assert "ชดเชย" in names[date(2026, 6, 1)]
    assert date(2026, 1, 2) in names


def test_an_office_closure_is_not_a_business_day():
    start = bkk(2026, 11, 24, 10, 0)  # Tuesday
    assert BusinessCalendar().add(start, DAY) == bkk(2026, 11, 25, 10, 0)
    closed = BusinessCalendar(closures=[date(2026, 11, 25)])
    assert not closed.is_business_day(date(2026, 11, 25))
    assert closed.add(start, DAY) == bkk(2026, 11, 26, 10, 0)


def test_business_hours_and_partial_days():
    calendar = BusinessCalendar()
    assert calendar.add(bkk(2026, 11, 24, 15, 30), 2 * 3600) == bkk(2026, 11, 25, 9, 30)
    assert calendar.between(bkk(2026, 11, 24, 12, 0), bkk(2026, 11, 24, 20, 0)) == 4.5 * 3600
    assert calendar.between(bkk(2026, 11, 28, 9, 0), bkk(2026, 11, 29, 15, 0)) == 0  # a weekend
    assert calendar.between(bkk(2026, 11, 25), bkk(2026, 11, 24)) == 0


def test_round_trip_over_many_starts():
    calendar = BusinessCalendar()
    start = bkk(2025, 10, 1, 0, 0)
    for step in range(0, 24 * 400, 7):  # every 7 hours across a fiscal year and more
        begin = start + timedelta(hours=step)
        end = calendar.add(begin, 3 * DAY + 1234)
        assert calendar.between(begin, end) == 3 * DAY + 1234


def test_twenty_four_seven_counts_every_second():
    calendar = TwentyFourSeven()
    start = bkk(2026, 4, 13, 23, 59)
    assert calendar.add(start, 60) == bkk(2026, 4, 14, 0, 0)
    assert calendar.between(start, bkk(2026, 4, 14, 0, 0)) == 60
