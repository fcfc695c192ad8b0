"""Dates as the reader reads them (Buddhist Era in Thai), and the receipt's QR code."""

import segno
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import thai_dates

register = template.Library()


@register.filter
def date_for_reader(moment) -> str:
    return thai_dates.format_date(moment, get_language() or "th")


@register.filter
def datetime_for_reader(moment) -> str:
    return thai_dates.format_datetime(moment, get_language() or "th")


@register.simple_tag
def qr_svg(url: str, title: str) -> str:
    """Inline SVG (no script, no external image): allowed by the page's CSP and printable."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=5, border=2, title=title, svgclass="qr", lineclass=None, omitsize=True)
    return mark_safe(svg)  # noqa: S308 - segno escapes the title; the rest is its own markup
