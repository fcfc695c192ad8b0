"""How the figures are written on pages and in documents: a dash for what cannot be computed (no case answered, no
rating given), never a zero that would mean something else."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.periods import period_parse
from reports import documents

register = template.Library()
NONE = "–"


@register.filter
def percent(rate: float | None) -> str:
    return NONE if rate is None else f"{rate * 100:.1f}%"


@register.filter
def days(value: float | None) -> str:
    return NONE if value is None else f"{value:.2f}"


@register.filter
def score(value: float | None) -> str:
    return NONE if value is None else f"{value:.2f}"


@register.filter
def count(value: int) -> str:
    return f"{value:,}"


@register.filter
def report_title(scope: str) -> str:
    return documents.report_title(scope)


@register.filter
def period_label(code: str) -> str:
    return period_parse(code).label(get_language() or "th")


@register.filter
def report_action(action: str) -> str:
    return str(REPORT_ACTIONS.get(action, action))


REPORT_ACTIONS = {
    "drafted": _("Drafted"), "files_made": _("Files made"), "files_failed": _("Files could not be made"),
    "analysed": _("Analysis written"), "approved": _("Approved by the director"), "published": _("Published"),
}
