"""How the figures are written on pages and in documents: a dash for what cannot be computed (no case answered, no
rating given), never a zero that would mean something else."""

from django import template

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
