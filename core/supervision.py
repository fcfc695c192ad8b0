"""The supervisor's view: per unit and per officer, what is open, late, escalated, and how fast work gets done.

Times to acknowledge and to resolve are clock times: on the clock's calendar, with paused time
(waiting for the citizen) left out, so an officer is not blamed for the citizen's silence.
"""

from collections import defaultdict
from datetime import datetime
from statistics import median

from django.db.models import Count, Q, Sum

from core.access import staff_profile
from core.choices import Role
from core.errors import PermissionDenied
from core.lookups import priority_weight
from core.models import ClockKind, SlaClock
from core.selectors import cases_visible_to

OVERSEERS = {Role.DIRECTOR, Role.ADMIN, Role.AUDITOR}


def _scope(user):
    """The cases a supervisor answers for: their units' (heads), or every visible one (director, auditor, admin)."""
    profile = staff_profile(user)
    cases = cases_visible_to(user)
    if profile.roles & OVERSEERS:
        return cases
    if not profile.is_head:
        raise PermissionDenied("The supervisor summary is for unit heads, the director and auditors.")
    return cases.filter(unit_id__in=profile.head_unit_ids)


def case_counts_by(cases, group_by: str, now: datetime) -> dict:
    open_cases = Q(closed_at__isnull=True)
    rows = cases.values(group_by).annotate(
        open=Count("pk", filter=open_cases),
        overdue=Count("pk", filter=open_cases & Q(sla_due_at__lt=now)),
        at_risk=Count("pk", filter=open_cases & Q(sla_warn_at__lte=now, sla_due_at__gte=now)),
        escalated=Count("pk", filter=open_cases & Q(escalation_level__gte=1)),
        workload=Sum(priority_weight(), filter=open_cases & Q(responded_at__isnull=True)),
    )
    return {row[group_by]: row for row in rows}


def clock_timings(cases, since: datetime) -> dict[str, dict]:
    """Medians and on-time rate of clocks met since ``since``, keyed by ('unit', id) and ('officer', id)."""
    clocks = SlaClock.objects.filter(case__in=cases, met_at__gte=since).values_list(
        "kind", "used_seconds", "budget_seconds", "case__unit_id", "case__assignee_id")
    samples: dict[tuple, dict[str, list]] = defaultdict(lambda: {"acknowledge": [], "resolve": [], "on_time": []})
    for kind, used, budget, unit_id, assignee_id in clocks.iterator(chunk_size=5_000):
        for key in (("unit", unit_id), ("officer", assignee_id)):
            samples[key][kind].append(used)
            if kind == ClockKind.RESOLVE:
                samples[key]["on_time"].append(used <= budget)  # as core.sla.met_on_time
    return {
        key: {
            "median_acknowledge_seconds": round(median(s["acknowledge"])) if s["acknowledge"] else None,
            "median_resolve_seconds": round(median(s["resolve"])) if s["resolve"] else None,
            "met_on_time_rate": round(sum(s["on_time"]) / len(s["on_time"]), 3) if s["on_time"] else None,
            "resolved": len(s["on_time"]),
        }
        for key, s in samples.items()
    }


def supervisor_summary(*, user, since: datetime, now: datetime) -> dict:
    cases = _scope(user)
    empty = {"median_acknowledge_seconds": None, "median_resolve_seconds": None, "met_on_time_rate": None,
             "resolved": 0}
    timings = clock_timings(cases, since)

    def row(counts: dict, key: tuple) -> dict:
        return {name: counts[name] or 0 for name in ("open", "overdue", "at_risk", "escalated", "workload")} | \
            timings.get(key, empty)

    units = case_counts_by(cases, "unit__code", now)
    unit_ids = dict(cases.filter(unit__isnull=False).values_list("unit__code", "unit_id").distinct())
    names = dict(cases.filter(unit__isnull=False).values_list("unit__code", "unit__name_th").distinct())
    officers = case_counts_by(cases.filter(assignee__isnull=False), "assignee__username", now)
    officer_ids = dict(cases.filter(assignee__isnull=False).values_list("assignee__username", "assignee_id").distinct())
    return {
        "since": since,
        "units": [{"unit": code, "name": names.get(code, ""), **row(counts, ("unit", unit_ids.get(code)))}
                  for code, counts in sorted(units.items(), key=lambda item: item[0] or "") if code],
        "officers": [{"username": name, **row(counts, ("officer", officer_ids.get(name)))}
                     for name, counts in sorted(officers.items())],
    }
