"""The periods an office reports on: the Thai fiscal year in the Buddhist Era (1 October – 30 September: fiscal
year 2569 runs from 1 October 2025 to 30 September 2026), its halves (ITA's first round covers October to
March), its quarters and calendar months.

A period is named by a short code, the same in the statistics API (``?period=``), file names and links:

- ``2569``: fiscal year 2569;
- ``2569-H1``, ``2569-H2``: its first half (October–March) and second half (April–September);
- ``2569-Q1`` … ``2569-Q4``: its quarters, Q1 being October–December;
- ``2568-10``: a calendar month, its year in the Buddhist Era (October 2568, the first month of fiscal 2569).

Each period runs from a Bangkok midnight (included) to another (excluded).
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from core.calendar import BANGKOK
from core.errors import ValidationFailed
from core.thai_dates import BUDDHIST_ERA_OFFSET, ENGLISH_MONTHS, THAI_MONTHS, fiscal_year

# Fiscal years an office may ask about: from the Thai fiscal year's present form to well beyond this system.
FIRST_YEAR, LAST_YEAR = 2500, 2700
# ASCII digits only: ๒๕๖๙ or ２５６９ would name the same year under another code (and another cached snapshot).
YEAR_CODE = re.compile(r"^([0-9]{4})(?:-(H[12]|Q[1-4]))?$", re.ASCII)
MONTH_CODE = re.compile(r"^([0-9]{4})-([0-9]{2})$", re.ASCII)


@dataclass(frozen=True)
class Period:
    code: str
    kind: str  # "year", "half", "quarter" or "month"
    fiscal_year: int  # Buddhist Era
    start: datetime  # a Bangkok midnight, included
    end: datetime  # a Bangkok midnight, excluded

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def months(self) -> list["Period"]:
        """The calendar months of the period, in order."""
        months, local = [], self.start.astimezone(BANGKOK)
        year, month = local.year, local.month
        while _midnight(year, month) < self.end:
            months.append(period_parse(f"{year + BUDDHIST_ERA_OFFSET}-{month:02d}"))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def label(self, language: str = "th") -> str:
        """The period as a report's title names it: "ปีงบประมาณ พ.ศ. 2569 (ต.ค. 2568 – ก.ย. 2569)"."""
        first, last = self.start.astimezone(BANGKOK), self.months()[-1].start.astimezone(BANGKOK)
        span = f"{_month_name(first, language)} – {_month_name(last, language)}"
        year = self.fiscal_year if not language.startswith("en") else self.fiscal_year - BUDDHIST_ERA_OFFSET
        if self.kind == "month":
            return _month_name(first, language)
        if self.kind == "year":
            return _("Fiscal year %(year)s (%(span)s)") % {"year": year, "span": span}
        if self.kind == "half":
            name = _("First half") if self.code.endswith("H1") else _("Second half")
            return _("%(part)s of fiscal year %(year)s (%(span)s)") % {"part": name, "year": year, "span": span}
        return _("Quarter %(number)s of fiscal year %(year)s (%(span)s)") % {
            "number": self.code[-1], "year": year, "span": span}


def period_parse(code: str) -> Period:
    """The period a code names (see the module's docstring); ValidationFailed for anything else."""
    code = (code or "").strip().upper()
    if match := YEAR_CODE.match(code):
        year, part = int(match[1]), match[2]
        _check_year(year)
        start_year = year - BUDDHIST_ERA_OFFSET - 1  # fiscal 2569 starts in October 2025
        if part is None:
            return Period(code, "year", year, _midnight(start_year, 10), _midnight(start_year + 1, 10))
        if part[0] == "H":
            starts = {"H1": (start_year, 10), "H2": (start_year + 1, 4)}
            ends = {"H1": (start_year + 1, 4), "H2": (start_year + 1, 10)}
            return Period(code, "half", year, _midnight(*starts[part]), _midnight(*ends[part]))
        quarter = int(part[1])
        first = 10 + 3 * (quarter - 1)  # months counted from October: 10, 13, 16, 19
        start = (start_year + (first - 1) // 12, (first - 1) % 12 + 1)
        end = (start_year + (first + 2) // 12, (first + 2) % 12 + 1)
        return Period(code, "quarter", year, _midnight(*start), _midnight(*end))
    if match := MONTH_CODE.match(code):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise _invalid(code)
        _check_year(year + (month >= 10))  # the fiscal year it belongs to: October 2499 opens fiscal 2500
        gregorian = year - BUDDHIST_ERA_OFFSET
        start = _midnight(gregorian, month)
        end = _midnight(gregorian + 1, 1) if month == 12 else _midnight(gregorian, month + 1)
        return Period(code, "month", fiscal_year(start), start, end)
    raise _invalid(code)


def fiscal_year_period(moment: datetime) -> Period:
    """The fiscal year ``moment`` falls in."""
    return period_parse(str(fiscal_year(moment)))


def month_period(moment: datetime) -> Period:
    """The calendar month ``moment`` falls in (in Bangkok)."""
    local = moment.astimezone(BANGKOK)
    return period_parse(f"{local.year + BUDDHIST_ERA_OFFSET}-{local.month:02d}")


def _midnight(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=BANGKOK)


def _month_name(local: datetime, language: str) -> str:
    if language.startswith("en"):
        return f"{ENGLISH_MONTHS[local.month - 1]} {local.year}"
    return f"{THAI_MONTHS[local.month - 1]} {local.year + BUDDHIST_ERA_OFFSET}"


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        message = _("Give the year in the Buddhist Era, between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR, "last": LAST_YEAR}
        raise ValidationFailed(message, fields={"period": [message]})


def _invalid(code: str) -> ValidationFailed:
    message = _("Name a period as 2569 (a fiscal year), 2569-H1 or 2569-H2 (its halves), 2569-Q1 to 2569-Q4 "
                "(its quarters) or 2568-10 (a month).")
    return ValidationFailed(message, fields={"period": [message]})
