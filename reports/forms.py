"""The statistics page's choice of period: a fiscal year and a part of it, turned into a period code
(core.periods)."""

from datetime import datetime

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed
from core.periods import Period, fiscal_year_period
from core.statistics import period_for_statistics
from core.thai_dates import BUDDHIST_ERA_OFFSET, ENGLISH_MONTH_NAMES, THAI_MONTH_NAMES
from portal.forms import PortalForm

YEARS_SHOWN = 6  # the current fiscal year and the five before it
FISCAL_MONTHS = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)


def _parts(english: bool) -> list[tuple[str, str]]:
    names = ENGLISH_MONTH_NAMES if english else THAI_MONTH_NAMES
    return [("", _("The whole fiscal year")), ("H1", _("First half (October–March)")),
            ("H2", _("Second half (April–September)")),
            *[(f"Q{n}", _("Quarter %(number)s") % {"number": n}) for n in range(1, 5)],
            *[(f"M{month:02d}", names[month - 1]) for month in FISCAL_MONTHS]]


def fiscal_year_choices(now: datetime) -> list[tuple[int, str]]:
    """The current fiscal year and the five before it, newest first (English readers also see the Gregorian year)."""
    current = fiscal_year_period(now).fiscal_year
    english = (get_language() or "th").startswith("en")
    return [(year, f"{year - BUDDHIST_ERA_OFFSET} (B.E. {year})" if english else str(year))
            for year in range(current, current - YEARS_SHOWN, -1)]


class StatisticsPeriodForm(PortalForm):
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    part = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, *args, now: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        english = (get_language() or "th").startswith("en")
        self.fields["fiscal_year"].choices = fiscal_year_choices(now)
        self.fields["fiscal_year"].initial = fiscal_year_period(now).fiscal_year
        self.fields["part"].choices = _parts(english)
        self.plain_words()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["period"] = period_for_statistics(self._code(data["fiscal_year"], data.get("part", "")),
                                                   now=self.now)
        except ValidationFailed as refused:
            self.add_error("part", refused.fields["period"][0])
        return data

    @staticmethod
    def _code(year: int, part: str) -> str:
        if not part:
            return str(year)
        if part.startswith("M"):
            month = int(part[1:])
            return f"{year - 1 if month >= 10 else year}-{month:02d}"  # October–December are in the year before
        return f"{year}-{part}"

    def period(self) -> Period:
        """The chosen period; the current fiscal year before anything is chosen."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["period"]
        return fiscal_year_period(self.now)
