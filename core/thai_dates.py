"""Dates as people read them: Buddhist Era for Thai readers (24 พ.ย. 2569), Gregorian for English."""

from datetime import date, datetime

from core.calendar import BANGKOK

THAI_MONTHS = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
THAI_MONTH_NAMES = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
                    "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
ENGLISH_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                       "November", "December"]
ENGLISH_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
BUDDHIST_ERA_OFFSET = 543


def format_date(moment: date | datetime | None, language: str = "th") -> str:
    """A day as its reader writes it; a moment's day in Bangkok, a date as it is (a letter's date)."""
    if moment is None:
        return ""
    local = moment.astimezone(BANGKOK) if isinstance(moment, datetime) else moment
    if language.startswith("en"):
        return f"{local.day} {ENGLISH_MONTHS[local.month - 1]} {local.year}"
    return f"{local.day} {THAI_MONTHS[local.month - 1]} {local.year + BUDDHIST_ERA_OFFSET}"


def format_datetime(moment: datetime | None, language: str = "th") -> str:
    if moment is None:
        return ""
    local = moment.astimezone(BANGKOK)
    suffix = " น." if not language.startswith("en") else ""
    return f"{format_date(moment, language)} {local:%H:%M}{suffix}"


def fiscal_year(moment: datetime) -> int:
    """The Thai fiscal year (Buddhist Era) that ``moment`` falls in: 1 Oct – 30 Sep."""
    local = moment.astimezone(BANGKOK)
    return local.year + BUDDHIST_ERA_OFFSET + (1 if local.month >= 10 else 0)
