"""Charts as server-rendered SVG: no script, nothing from outside, allowed by the strict CSP (no inline style:
the bars' colours come from classes in workspace.css). Every chart is drawn beside a table of the same figures,
which is what a screen reader reads and where the links to the queues are; the SVG itself is one labelled image."""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    href: str = ""  # the queue behind the bar, linked from the chart's table (a labelled image holds no links)
    text: str = ""  # how the value is written next to the bar (default: the number)


def hbars(title: str, bars: list[Bar], *, unit_max: float | None = None, css: str = "") -> SafeString:
    """Horizontal bars, one per row, labelled and valued."""
    width, label_w, row_h = 640, 230, 28
    top = max([unit_max or 0, *[bar.value for bar in bars]]) or 1
    height = row_h * max(1, len(bars)) + 8
    rows = []
    for n, bar in enumerate(bars):
        y = 4 + n * row_h
        length = (width - label_w - 70) * bar.value / top
        shape = (f'<rect class="bar {css}" x="{label_w}" y="{y + 5}" width="{length:.1f}" height="{row_h - 10}">'
                 f'<title>{escape(bar.label)}: {escape(bar.text or _number(bar.value))}</title></rect>')
        label = f'<text class="label" x="{label_w - 8}" y="{y + row_h / 2 + 5}" text-anchor="end">{escape(bar.label)}</text>'
        value = f'<text class="value" x="{label_w + length + 6:.1f}" y="{y + row_h / 2 + 5}">{escape(bar.text or _number(bar.value))}</text>'
        rows.append(label + shape + value)
    return _svg(title, width, height, "".join(rows))


def paired_columns(title: str, groups: list[tuple[str, float, float]], names: tuple[str, str]) -> SafeString:
    """Two columns per group (e.g. received and closed per week), with a legend."""
    width, height, bottom, left = 640, 260, 40, 36
    top = max([max(a, b) for _, a, b in groups] or [1]) or 1
    step = (width - left - 8) / max(1, len(groups))
    bar_w = max(4.0, step / 2 - 3)
    parts = []
    for n, (label, first, second) in enumerate(groups):
        x = left + n * step
        for k, (value, css, name) in enumerate(((first, "a", names[0]), (second, "b", names[1]))):
            h = (height - bottom - 24) * value / top
            parts.append(f'<rect class="bar {css}" x="{x + k * (bar_w + 1):.1f}" y="{height - bottom - h:.1f}" '
                         f'width="{bar_w:.1f}" height="{h:.1f}"><title>{escape(label)} {escape(name)}: '
                         f'{_number(value)}</title></rect>')
        if n % (2 if len(groups) > 8 else 1) == 0:  # every other label when many, so that none overlap
            parts.append(f'<text class="label small" x="{x + bar_w:.1f}" y="{height - bottom + 16}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    parts.append(f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}"/>')
    parts.append(f'<text class="label small" x="{left}" y="14">{_number(top)}</text>')
    legend_y = height - 8
    parts.append(f'<rect class="bar a" x="{left}" y="{legend_y - 10}" width="12" height="12"/>'
                 f'<text class="label" x="{left + 18}" y="{legend_y}">{escape(names[0])}</text>'
                 f'<rect class="bar b" x="{left + 160}" y="{legend_y - 10}" width="12" height="12"/>'
                 f'<text class="label" x="{left + 178}" y="{legend_y}">{escape(names[1])}</text>')
    return _svg(title, width, height, "".join(parts))


def _svg(title: str, width: int, height: int, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text inside is escaped above
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{body}</svg>')


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def statistics_charts(figures: dict) -> dict[str, SafeString]:
    """The public statistics page's charts, each drawn beside a table of the same figures."""
    return {
        "months": paired_columns(
            _("Cases received and completed, by month"),
            [(month["label"], month["received"] + month["sealed"], month["completed"]) for month in figures["months"]],
            (pgettext("figures", "Received"), pgettext("figures", "Completed"))),
        "channels": hbars(_("Cases by channel"), [Bar(row["label"], row["received"]) for row in figures["by_channel"]]),
        "answer_times": hbars(
            _("Median time to answer, in business days"),
            [Bar(row["label"], row["resolve"]["median_days"] or 0,
                 text=f'{row["resolve"]["median_days"]:.2f}' if row["resolve"]["median_days"] is not None else "–")
             for row in figures["times_by_kind"]]),
        "satisfaction": hbars(
            _("Satisfaction ratings (1 = very dissatisfied, 5 = very satisfied)"),
            [Bar(str(row["score"]), row["count"]) for row in reversed(figures["satisfaction"]["distribution"])],
            css="ok"),
    }
