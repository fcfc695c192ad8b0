"""The supervisors' and the director's dashboard: per unit and per officer, and charts of intake, backlog, SLA
compliance, categories and channels, each beside its table and linking to the queue behind it. The figures come
from the snapshot the beat task keeps (core.dashboard), summed over the units the reader answers for."""

from collections import Counter
from datetime import date

from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import staff_profile
from core.choices import Channel
from core.dashboard import AGE_BUCKETS, dashboard_figures
from core.models import Category, Unit
from core.periods import fiscal_year_period, month_period, period_parse
from core.supervision import OVERSEERS
from core.thai_dates import format_date
from reports.charts import Bar, hbars, paired_columns
from workflows.reports import may_draft
from workspace.access import staff_page

COUNTS = ("open", "overdue", "at_risk", "escalated", "workload")


def dashboard_units(user) -> tuple[list[Unit], bool] | None:
    """The units the reader answers for and whether that is the whole office (with unrouted cases); None if the
    dashboard is not theirs. Only the director and the integrity unit see the integrity unit's figures."""
    profile = staff_profile(user)
    units = Unit.objects.filter(active=True).order_by("code")
    if profile.roles & OVERSEERS:
        if not (profile.is_director or profile.integrity_unit_ids):
            units = units.exclude(is_integrity=True)
        return list(units), True
    if profile.is_head:
        return list(units.filter(pk__in=profile.head_unit_ids)), False
    return None


def _queue(**params) -> str:
    return f"{reverse('workspace:queue')}?{urlencode(params)}"


@staff_page
@require_http_methods(["GET", "HEAD"])
def dashboard(request):
    scope = dashboard_units(request.user)
    if scope is None:
        return render(request, "workspace/dashboard_denied.html", {"nav": "dashboard"}, status=403)
    units, office = scope
    snapshot = dashboard_figures(now=timezone.now())
    figures = snapshot.figures
    keys = [str(unit.pk) for unit in units] + (["none"] if office else [])
    per_unit = {key: figures["units"].get(key, {}) for key in keys}
    rows = []
    for unit in units:
        data = per_unit[str(unit.pk)]
        rows.append({"unit": unit, "counts": data.get("counts") or dict.fromkeys(COUNTS, 0),
                     "timings": data.get("timings"), "links": _count_links(unit=unit.code)})
    user_names = {str(u.pk): u for u in get_user_model().objects.filter(
        pk__in=[int(pk) for pk in figures["officers"]])}
    unit_ids = {unit.pk for unit in units}
    officers = [{"user": user_names[pk], **data, "links": _count_links(assignee=user_names[pk].username)}
                for pk, data in sorted(figures["officers"].items(), key=lambda item: -item[1]["counts"]["open"])
                if pk in user_names and (office or unit_ids & set(data["units"]))]
    totals = Counter()
    for data in per_unit.values():
        totals.update(data.get("counts") or {})
    return render(request, "workspace/dashboard.html", {
        "nav": "dashboard", "computed_at": snapshot.computed_at, "office": office,
        "rows": rows, "officers": officers, "totals": {name: totals.get(name, 0) for name in COUNTS},
        "total_links": _count_links(),
        "as_reports": _as_reports(request.user),
        **_charts(figures, per_unit, units),
    })


def _as_reports(user) -> list[tuple[str, str]]:
    """The current periods' figures, each opened as a report (the reports page's preview), for who may draft one."""
    scope = next((scope for scope in ("complaint", "corruption") if may_draft(user, scope)), None)
    if scope is None:
        return []
    now = timezone.now()
    year = fiscal_year_period(now)
    half = "H1" if period_parse(f"{year.code}-H1").contains(now) else "H2"
    quarter = next(f"Q{n}" for n in range(1, 5) if period_parse(f"{year.code}-Q{n}").contains(now))
    month = month_period(now)
    link = reverse("workspace:reports")
    return [(period_parse(code).label(get_language() or "th"),
             f"{link}?{urlencode({'fiscal_year': year.fiscal_year, 'part': part, 'scope': scope})}")
            for code, part in ((year.code, ""), (f"{year.code}-{half}", half), (f"{year.code}-{quarter}", quarter),
                               (month.code, f"M{month.code[-2:]}"))]


def _count_links(**filters) -> dict:
    return {"open": _queue(queue="all", **filters), "overdue": _queue(queue="overdue", **filters),
            "at_risk": _queue(queue="at_risk", **filters), "escalated": _queue(queue="escalated", **filters)}


def _charts(figures: dict, per_unit: dict, units: list[Unit]) -> dict:
    weeks = {week: [0, 0] for week in figures["weeks"]}
    backlog, categories, channels = Counter(), Counter(), Counter()
    for data in per_unit.values():
        for week, pair in data.get("weeks", {}).items():
            if week in weeks:
                weeks[week][0] += pair["received"]
                weeks[week][1] += pair["closed"]
        backlog.update(data.get("backlog", {}))
        categories.update(data.get("categories", {}))
        channels.update(data.get("channels", {}))
    week_rows = [(format_date(date.fromisoformat(week), get_language() or "th"), received, closed)
                 for week, (received, closed) in weeks.items()]
    # On the chart the weeks are labelled by day and month (the table beside it gives the year).
    week_columns = [(label.rsplit(" ", 1)[0], received, closed) for label, received, closed in week_rows]
    names = {c.code: c.name for c in Category.objects.filter(code__in=list(categories))}
    category_bars = [Bar(names.get(code, code), n, _queue(queue="all", category=code) if code != "-" else "")
                     for code, n in categories.most_common(10)]
    channel_bars = [Bar(str(Channel(code).label) if code in Channel.values else code, n,
                        _queue(queue="all", channel=code)) for code, n in channels.most_common()]
    age_bars = [Bar(_("%(range)s days") % {"range": label}, backlog.get(label, 0)) for label, _low, _high in AGE_BUCKETS]
    compliance = []
    for unit in units:
        data = per_unit.get(str(unit.pk), {})
        met = data.get("on_time", 0) + data.get("late", 0)
        if met:
            rate = 100 * data["on_time"] / met
            compliance.append((unit, data["on_time"], data["late"], rate))
    compliance_bars = [Bar(unit.name, rate, _queue(queue="all", unit=unit.code), f"{rate:.0f}%")
                       for unit, _on, _late, rate in compliance]
    return {
        "week_chart": paired_columns(_("Received and closed per week"), week_columns, (_("Received"), _("Closed"))),
        "week_rows": week_rows,
        "age_chart": hbars(_("Open cases by age"), age_bars), "age_bars": age_bars,
        "compliance_chart": hbars(_("Answered on time, last 90 days"), compliance_bars, unit_max=100, css="ok")
        if compliance_bars else None, "compliance": compliance,
        "category_chart": hbars(_("Cases by category, last 90 days"), category_bars) if category_bars else None,
        "category_bars": category_bars,
        "channel_chart": hbars(_("Cases by channel, last 90 days"), channel_bars) if channel_bars else None,
        "channel_bars": channel_bars,
    }
