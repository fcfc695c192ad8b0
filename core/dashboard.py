"""The figures of the supervisors' and the director's dashboard, per unit, computed by a beat task about once a
minute (``dashboard_figures_refresh``) and read by the page from one row (``dashboard_figures``): no request
aggregates the whole case table.

Per unit (key: the unit's id, "none" for cases no unit holds yet): the open, overdue, at-risk and escalated
cases and the workload; per officer the same; the medians and on-time rate of the last 90 days' clocks (clock
time, pauses left out, as ``core.supervision``); intake and closures per week for twelve weeks; the open backlog
by age; the last 90 days' cases by category and by channel; the resolve clocks met on time and late.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from core.calendar import BANGKOK
from core.models import Case, DashboardSnapshot, Membership, SlaClock
from core.sla import met_late, met_on_time
from core.supervision import case_counts_by, clock_timings

SNAPSHOT = "dashboard"
WEEKS = 12
RECENT_DAYS = 90
# Open backlog by age in calendar days: (label key, at least, less than).
AGE_BUCKETS = (("0-7", 0, 7), ("8-15", 8, 16), ("16-30", 16, 31), ("31-60", 31, 61), ("61+", 61, None))


def _key(unit_id) -> str:
    return str(unit_id) if unit_id is not None else "none"


def _week_start(day) -> str:
    return (day - timedelta(days=day.weekday())).isoformat()


def dashboard_figures_compute(*, now: datetime) -> dict:
    cases = Case.objects.all()
    since = now - timedelta(days=RECENT_DAYS)
    units: dict[str, dict] = defaultdict(lambda: {"weeks": {}, "backlog": {}, "categories": {}, "channels": {},
                                                  "on_time": 0, "late": 0})
    counts = case_counts_by(cases, "unit_id", now)
    timings = clock_timings(cases, since)
    for unit_id, row in counts.items():
        units[_key(unit_id)]["counts"] = {name: row[name] or 0 for name in
                                          ("open", "overdue", "at_risk", "escalated", "workload")}
        units[_key(unit_id)]["timings"] = timings.get(("unit", unit_id))
    first_week = (now.astimezone(BANGKOK).date() - timedelta(days=now.astimezone(BANGKOK).weekday())
                  - timedelta(weeks=WEEKS - 1))
    for field, name in (("submitted_at", "received"), ("closed_at", "closed")):
        rows = (cases.filter(**{f"{field}__date__gte": first_week})
                .annotate(day=TruncDate(field, tzinfo=BANGKOK)).values("unit_id", "day").annotate(n=Count("pk")))
        for row in rows:
            week = units[_key(row["unit_id"])]["weeks"].setdefault(_week_start(row["day"]), {"received": 0, "closed": 0})
            week[name] += row["n"]
    today = now.astimezone(BANGKOK).date()
    ages = {label: Count("pk", filter=Q(submitted_at__date__lte=today - timedelta(days=low))
                         & (Q(submitted_at__date__gt=today - timedelta(days=high)) if high else Q()))
            for label, low, high in AGE_BUCKETS}
    for row in cases.filter(closed_at__isnull=True).values("unit_id").annotate(**{f"age_{k}": v for k, v in
                                                                                  ages.items()}):
        units[_key(row["unit_id"])]["backlog"] = {label: row[f"age_{label}"] for label, _, _ in AGE_BUCKETS}
    recent = cases.filter(submitted_at__gte=since)
    for row in recent.values("unit_id", "category__code").annotate(n=Count("pk")):
        units[_key(row["unit_id"])]["categories"][row["category__code"] or "-"] = row["n"]
    for row in recent.values("unit_id", "channel").annotate(n=Count("pk")):
        units[_key(row["unit_id"])]["channels"][row["channel"]] = row["n"]
    met = SlaClock.objects.filter(kind="resolve", met_at__gte=since)
    for row in met.values("case__unit_id").annotate(on_time=Count("pk", filter=met_on_time()),
                                                    late=Count("pk", filter=met_late())):
        units[_key(row["case__unit_id"])].update(on_time=row["on_time"], late=row["late"])
    officers = {}
    members = defaultdict(list)
    for user_id, unit_id in Membership.objects.values_list("user_id", "unit_id"):
        members[user_id].append(unit_id)
    for user_id, row in case_counts_by(cases.filter(assignee__isnull=False), "assignee_id", now).items():
        officers[str(user_id)] = {"counts": {name: row[name] or 0 for name in
                                             ("open", "overdue", "at_risk", "escalated", "workload")},
                                  "timings": timings.get(("officer", user_id)), "units": members.get(user_id, [])}
    return {"units": dict(units), "officers": officers, "weeks": [
        (first_week + timedelta(weeks=n)).isoformat() for n in range(WEEKS)]}


def dashboard_figures_refresh(*, now: datetime) -> DashboardSnapshot:
    figures = dashboard_figures_compute(now=now)
    snapshot, _ = DashboardSnapshot.objects.update_or_create(name=SNAPSHOT, defaults={"computed_at": now,
                                                                                      "figures": figures})
    return snapshot


def dashboard_figures(*, now: datetime, max_age: timedelta = timedelta(minutes=10)) -> DashboardSnapshot:
    """The latest figures; computed now if there are none yet or beat has not refreshed them for ``max_age``."""
    snapshot = DashboardSnapshot.objects.filter(name=SNAPSHOT).first()
    if snapshot is None or now - snapshot.computed_at > max_age:
        snapshot = dashboard_figures_refresh(now=now)
    return snapshot
