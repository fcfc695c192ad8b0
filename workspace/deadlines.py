"""A deadline in words, as staff read it in the queues: "เหลือ 2 วันทำการ", "เกินกำหนด 3 วัน".

Time left is counted on the business calendar (office hours, holidays and closures excluded), the calendar of
the office's SLA policies, so that a Friday-evening deadline is not "2 days away" on Wednesday night. Time
overdue is counted in calendar days, as people say it: it also costs nothing for a case years overdue, where
walking the business calendar day by day cost a queue page a quarter of a second.
"""

import math
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import ngettext

from core.calendar import BUSINESS_DAY_SECONDS
from core.config_cache import calendars

HOUR, DAY = 3600, 86400


@dataclass(frozen=True)
class Deadline:
    words: str
    state: str  # "overdue", "at_risk", "on_time" or "none": a CSS class, never the only signal


def deadline_describe(due: datetime | None, warn: datetime | None, now: datetime, business=None) -> Deadline:
    """``business``: the business calendar, when the caller describes many deadlines (read it once)."""
    if due is None:
        return Deadline("", "none")
    business = business or calendars().business
    if due <= now:
        return Deadline(_late_words((now - due).total_seconds()), "overdue")
    state = "at_risk" if warn is not None and warn <= now else "on_time"
    return Deadline(_left_words(business.between(now, due)), state)


def _left_words(seconds: float) -> str:
    if seconds >= BUSINESS_DAY_SECONDS:
        days = math.floor(seconds / BUSINESS_DAY_SECONDS)
        return ngettext("%(count)d business day left", "%(count)d business days left", days) % {"count": days}
    hours = max(1, math.ceil(seconds / HOUR))
    return ngettext("%(count)d business hour left", "%(count)d business hours left", hours) % {"count": hours}


def _late_words(seconds: float) -> str:
    if seconds >= DAY:
        days = math.floor(seconds / DAY)
        return ngettext("%(count)d day overdue", "%(count)d days overdue", days) % {"count": days}
    hours = max(1, math.ceil(seconds / HOUR))
    return ngettext("%(count)d hour overdue", "%(count)d hours overdue", hours) % {"count": hours}
