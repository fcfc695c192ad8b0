"""Business-time arithmetic (docs/design.md, "SLA").

The business calendar counts only office hours: Monday to Friday, 08:30–16:30 Asia/Bangkok, minus
Thai public and government holidays (the ``holidays`` package, with substitution and cabinet
days) and the office's own closures. One business day is one full office day of business time
(8 hours), so "2 business days from Tuesday 16:00" ends at 16:00 on the second following
business day. The ``24x7`` calendar counts every second.

Both calendars answer the same two questions: ``add(start, seconds)`` and ``between(a, b)``.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays

BANGKOK = ZoneInfo("Asia/Bangkok")
DAY_START = time(8, 30)
DAY_END = time(16, 30)
BUSINESS_DAY_SECONDS = 8 * 3600
HOLIDAY_CATEGORIES = ("public", "government")


class Calendar(Protocol):
    code: str

    def add(self, start: datetime, seconds: float) -> datetime: ...

    def between(self, start: datetime, end: datetime) -> float: ...


class TwentyFourSeven:
    code = "24x7"

    def add(self, start: datetime, seconds: float) -> datetime:
        return start + timedelta(seconds=seconds)

    def between(self, start: datetime, end: datetime) -> float:
        return max(0.0, (end - start).total_seconds())


@lru_cache(maxsize=32)
def thai_holidays(year: int) -> dict[date, str]:
    """Thai public and government holidays of ``year``, with their Thai names."""
    return dict(holidays.country_holidays("TH", years=year, language="th", categories=HOLIDAY_CATEGORIES))


class BusinessCalendar:
    code = "business"

    def __init__(self, closures: Iterable[date] = ()):
        self.closures = frozenset(closures)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in thai_holidays(day.year) and day not in self.closures

    def _window(self, day: date) -> tuple[datetime, datetime]:
        return datetime.combine(day, DAY_START, BANGKOK), datetime.combine(day, DAY_END, BANGKOK)

    def add(self, start: datetime, seconds: float) -> datetime:
        """The moment when ``seconds`` of business time have passed since ``start``."""
        remaining = max(0.0, seconds)
        day = start.astimezone(BANGKOK).date()
        cursor = start
        while True:
            if self.is_business_day(day):
                opens, closes = self._window(day)
                begin = max(cursor, opens)
                if begin < closes:
                    available = (closes - begin).total_seconds()
                    if remaining <= available:
                        # A deadline that lands exactly on closing time stays on that day.
                        return begin + timedelta(seconds=remaining)
                    remaining -= available
            day += timedelta(days=1)
            cursor = datetime.combine(day, time(0), BANGKOK)

    def between(self, start: datetime, end: datetime) -> float:
        """Business seconds from ``start`` to ``end`` (0 if ``end`` is not after ``start``)."""
        if end <= start:
            return 0.0
        total = 0.0
        day, last = start.astimezone(BANGKOK).date(), end.astimezone(BANGKOK).date()
        while day <= last:
            if self.is_business_day(day):
                opens, closes = self._window(day)
                begin, finish = max(start, opens), min(end, closes)
                if finish > begin:
                    total += (finish - begin).total_seconds()
            day += timedelta(days=1)
        return total


# Duration units of SLA targets; business units count on the business calendar only.
UNIT_SECONDS = {
    "business_days": BUSINESS_DAY_SECONDS,
    "business_hours": 3600,
    "minutes": 60,
    "hours": 3600,
    "days": 86400,
}


def duration_seconds(value: float, unit: str) -> float:
    return value * UNIT_SECONDS[unit]
