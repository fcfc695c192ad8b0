"""The office's figures over a reporting period (core.periods): the one statistics service that the public
statistics page and API, the report documents and the workspace all read (docs/reports.md).

The cases of a period are those *received* in it (``submitted_at``), each counted as it stands when the figures are
computed (``as_of``):

- *completed*: the office has given its result (``responded_at``: answered, rejected, adopted, concluded …) or owes
  the case no more work (closed, withdrawn, merged into another); *in progress*: the rest;
- *on time* and *late* per SLA clock: a met clock by the clock time it used, paused time left out, against its
  budget (``core.sla.met_on_time``); an unmet clock is *overdue* once its deadline has passed while it runs;
- answer times: the clock time a met clock used, in business days (8 office hours; a 24x7 policy's clocks count
  calendar days), as median and 90th percentile;
- satisfaction: the citizens' ratings of answered cases (average, distribution 1–5, and the share of answered cases
  that were rated); *reopened*: cases reopened at least once; *escalated*: cases escalated at least once (the level
  never goes down).

Sealed corruption reports are counted by kind, status and month only, never described: they are left out of the
channel, category and unit breakdowns, the clocks and the ratings, and a status the reporter does not see yet
(a dismissal or a referral for inquiry before the conclusion) is counted as fact-finding, as the public lookup
shows it.
"""

import copy
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import connection
from django.utils.translation import get_language, gettext_lazy

from core.calendar import BUSINESS_DAY_SECONDS
from core.choices import NO_WORK_STATUSES, Channel, Kind, Status, choice_label
from core.errors import ValidationFailed
from core.models import Category, ClockKind, School, StatisticsSnapshot, Unit
from core.periods import Period, fiscal_year_period, month_period, period_parse
from core.selectors import SEALED_PUBLIC_STATUS
from core.thai_dates import BUDDHIST_ERA_OFFSET

RATINGS = (1, 2, 3, 4, 5)
CLOCKS = (ClockKind.ACKNOWLEDGE, ClockKind.RESOLVE)

# One pass over the period's cases, grouped several ways at once. (GROUPING(x) is 0 in the sets that group by x.)
_CASES_SQL = """
SELECT sealed, kind, status, channel, category_id, unit_id, school_id, month, satisfaction_score,
       GROUPING(kind, status, channel, category_id, unit_id, school_id, month, satisfaction_score) AS grouping_set,
       count(*) AS received,
       count(*) FILTER (WHERE responded_at IS NOT NULL OR status = ANY(%(no_work)s)) AS completed,
       count(*) FILTER (WHERE reopen_count > 0) AS reopened,
       count(*) FILTER (WHERE escalation_level >= 1) AS escalated,
       count(*) FILTER (WHERE responded_at IS NOT NULL) AS answered,
       count(satisfaction_score) AS rated,
       coalesce(sum(satisfaction_score), 0) AS score_sum
FROM (SELECT *, date_trunc('month', submitted_at AT TIME ZONE 'Asia/Bangkok') AS month FROM core_case
      WHERE submitted_at >= %(start)s AND submitted_at < %(end)s AND kind = ANY(%(kinds)s)) AS period_cases
GROUP BY GROUPING SETS ((sealed, kind), (sealed, kind, status), (sealed, channel), (sealed, category_id),
                        (sealed, unit_id), (sealed, school_id), (sealed, month), (sealed, satisfaction_score))
"""

# The unsealed cases' clocks, overall, per kind and per unit. Met on time: as core.sla.met_on_time.
_CLOCKS_SQL = """
SELECT clock.kind AS clock, c.kind, c.unit_id, GROUPING(c.kind, c.unit_id) AS grouping_set,
       count(*) FILTER (WHERE clock.met_at IS NOT NULL AND clock.used_seconds <= clock.budget_seconds) AS on_time,
       count(*) FILTER (WHERE clock.met_at IS NOT NULL AND clock.used_seconds > clock.budget_seconds) AS late,
       count(*) FILTER (WHERE clock.met_at IS NULL AND clock.paused_since IS NULL AND clock.due_at < %(now)s)
           AS overdue,
       count(*) FILTER (WHERE clock.met_at IS NULL) AS running,
       percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY clock.used_seconds
           / CASE clock.calendar WHEN 'business' THEN %(business_day)s ELSE 86400 END) AS days
FROM core_slaclock clock JOIN core_case c ON c.id = clock.case_id
WHERE c.submitted_at >= %(start)s AND c.submitted_at < %(end)s AND c.kind = ANY(%(kinds)s) AND NOT c.sealed
  AND clock.kind = ANY(%(clocks)s)
GROUP BY GROUPING SETS ((clock.kind), (clock.kind, c.kind), (clock.kind, c.unit_id))
"""


# What a set of figures covers: every kind, or one kind (the corruption report is a report of its own).
SCOPES = {"all": tuple(Kind.values), **{kind: (kind,) for kind in Kind.values}}
# How old a period's snapshot may be when it is read: the current periods are refreshed by beat more often than
# this (workers/schedule.py); a period that ended a while ago changes rarely (a late answer, a rating), and is
# recomputed on the first read after a day.
SNAPSHOT_MAX_AGE = timedelta(minutes=30)
SETTLED_AFTER, SETTLED_MAX_AGE = timedelta(days=90), timedelta(days=1)
_NOT_YET = gettext_lazy("The period %(period)s has not begun yet: there are no figures for it.")
# ITA asks an office with nothing to report to say so rather than show an empty table.
_EMPTY = gettext_lazy("No complaints were received in this period.")
_NO_SCOPE = gettext_lazy("Choose one of: %(scopes)s.")


def period_for_statistics(code: str, *, now: datetime) -> Period:
    """The period a code names, if it has begun: figures of a period still to come are refused, not zero."""
    period = period_parse(code)
    if period.start > now:
        message = str(_NOT_YET) % {"period": period.code}
        raise ValidationFailed(message, fields={"period": [message]})
    return period


def scope_check(scope: str) -> str:
    if scope not in SCOPES:
        message = str(_NO_SCOPE) % {"scopes": ", ".join(SCOPES)}
        raise ValidationFailed(message, fields={"scope": [message]})
    return scope


def period_statistics(period: Period, *, now: datetime, scope: str = "all", max_age: timedelta | None = None) -> dict:
    """The period's figures with their labels in the active language, from its snapshot if that is at most
    ``max_age`` old (by default: see SNAPSHOT_MAX_AGE), else computed now (and kept for the next reader)."""
    if max_age is None:
        max_age = SETTLED_MAX_AGE if period.end < now - SETTLED_AFTER else SNAPSHOT_MAX_AGE
    snapshot = StatisticsSnapshot.objects.filter(key=_key(period, scope)).first()
    if snapshot is None or now - snapshot.computed_at > max_age:
        snapshot = statistics_snapshot_store(period, scope=scope, now=now)
    return statistics_labelled(snapshot.figures)


def statistics_snapshot_store(period: Period, *, scope: str, now: datetime) -> StatisticsSnapshot:
    """Compute the figures and keep them; two computing at once both write, the later wins (same figures)."""
    snapshot = StatisticsSnapshot(key=_key(period, scope), computed_at=now,
                                  figures=statistics_compute(period, now=now, scope=scope))
    StatisticsSnapshot.objects.bulk_create([snapshot], update_conflicts=True, unique_fields=["key"],
                                           update_fields=["computed_at", "figures"])
    return snapshot


def statistics_snapshots_refresh(*, now: datetime) -> list[str]:
    """Beat: recompute the periods the public page opens on (the current fiscal year, half, quarter and month,
    and the previous month) in every scope that has been read. Returns the keys refreshed."""
    year = fiscal_year_period(now)
    parts = [period_parse(f"{year.code}-{part}") for part in ("H1", "H2", "Q1", "Q2", "Q3", "Q4")]
    month = month_period(now)
    current = [year, *(part for part in parts if part.contains(now)), month,
               month_period(month.start - timedelta(days=1))]
    scopes = {key.split(":")[1] for key in StatisticsSnapshot.objects.values_list("key", flat=True)} | {"all"}
    refreshed = []
    for period in current:
        for scope in sorted(scopes & set(SCOPES)):
            statistics_snapshot_store(period, scope=scope, now=now)
            refreshed.append(_key(period, scope))
    return refreshed


def statistics_compute(period: Period, *, now: datetime, scope: str = "all") -> dict:
    """The period's figures (see the module's docstring) as JSON values: codes without labels, times as ISO text."""
    params = {"start": period.start, "end": period.end, "kinds": list(SCOPES[scope]), "now": now,
              "business_day": float(BUSINESS_DAY_SECONDS), "clocks": list(CLOCKS),
              "no_work": list(NO_WORK_STATUSES)}
    with connection.cursor() as cursor:
        cases = _grouped(cursor, _CASES_SQL, params, _CASE_SETS)
        clocks = _grouped(cursor, _CLOCKS_SQL, params, _CLOCK_SETS)
    figures = {
        "period": {"code": period.code, "kind": period.kind, "fiscal_year": period.fiscal_year,
                   "start": period.start.isoformat(), "end": period.end.isoformat()},
        "scope": scope,
        "as_of": now.isoformat(),
        **_case_figures(period, cases, now),
        **_clock_figures(clocks),
    }
    unit_clocks = {row.unit_id: row for row in clocks["unit"] if row.clock == ClockKind.RESOLVE}
    for row in figures["by_unit"]:
        row["resolve"] = _clock(unit_clocks.get(row.pop("unit_id")))
    figures["empty"] = figures["totals"]["received"] == 0
    return figures


def statistics_labelled(figures: dict) -> dict:
    """A copy of computed figures with the label of each code, the period's title and the times as datetimes."""
    language = get_language() or "th"
    categories = {(category.kind, category.code): category.name for category in Category.objects.all()}
    units = dict((unit.code, unit.name) for unit in Unit.objects.all())
    labelled = copy.deepcopy(figures)
    period = period_parse(figures["period"]["code"])
    labelled["period"].update(label=period.label(language), start=period.start, end=period.end)
    labelled["as_of"] = datetime.fromisoformat(figures["as_of"])
    labelled["empty_message"] = str(_EMPTY) if figures["empty"] else None
    for row in labelled["by_kind"] + labelled["times_by_kind"]:
        row["label"] = choice_label(Kind, row["kind"])
    for row in labelled["by_status"] + labelled["sealed"]["by_status"]:
        row["label"] = choice_label(Status, row["status"])
    for row in labelled["by_channel"]:
        row["label"] = choice_label(Channel, row["channel"])
    for row in labelled["by_category"]:
        row["label"] = categories.get((row["kind"], row["category"]), row["category"]) if row["category"] else str(
            _NO_CATEGORY)
    for row in labelled["by_unit"]:
        row["label"] = units.get(row["unit"], row["unit"]) if row["unit"] else str(_NO_UNIT)
    by_school = labelled.setdefault("by_school", [])  # (snapshots computed before schools were counted have none)
    schools = dict(School.objects.filter(code__in=[row["school"] for row in by_school]).values_list(
        "code", "name_th")) if by_school else {}  # (no query for an office without schools)
    for row in by_school:
        row["label"] = schools.get(row["school"], row["school"])
    for row in labelled.setdefault("by_district", []):
        row["label"] = row["district"] or str(_NO_DISTRICT)
    for row in labelled["months"]:
        row["label"] = period_parse(row["period"]).label(language)
    return labelled


def _key(period: Period, scope: str) -> str:
    return f"{period.code}:{scope}"


def _case_figures(period: Period, sets: dict[str, list], now: datetime) -> dict:
    unsealed = [row for row in sets["kind"] if not row.sealed]
    sealed = _counts(*(row for row in sets["kind"] if row.sealed))
    statuses: dict[tuple[bool, str, str], int] = defaultdict(int)
    for row in sets["status"]:
        status = SEALED_PUBLIC_STATUS.get(row.status, row.status) if row.sealed else row.status
        statuses[(row.sealed, row.kind, status)] += row.received
    months = defaultdict(dict)
    for row in sets["month"]:
        months[row.sealed][_month_code(row.month)] = row
    ratings = {row.satisfaction_score: row.received for row in sets["rating"]
               if not row.sealed and row.satisfaction_score is not None}
    answered, rated = sum(row.answered for row in unsealed), sum(ratings.values())
    categories = {category.pk: category for category in Category.objects.all()}
    units = {unit.pk: unit for unit in Unit.objects.all()}
    by_kind = [{"kind": row.kind, **_counts(row)} for row in sorted(unsealed, key=lambda row: _order(Kind, row.kind))]
    if sealed["received"]:
        by_kind.append({"kind": Kind.CORRUPTION, **sealed})
    return {
        "totals": {**_counts(*sets["kind"]), "reopened": sum(row.reopened for row in unsealed),
                   "escalated": sum(row.escalated for row in unsealed)},
        "by_kind": by_kind,
        "by_status": [{"kind": kind, "status": status, "received": count} for (_sealed, kind, status), count in sorted(
            statuses.items(), key=lambda item: (_order(Kind, item[0][1]), _order(Status, item[0][2])))],
        "by_channel": _ranked({"channel": row.channel, **_counts(row)} for row in sets["channel"] if not row.sealed),
        "by_category": _ranked(
            {"category": categories[row.category_id].code if row.category_id else None,
             "kind": categories[row.category_id].kind if row.category_id else None, **_counts(row)}
            for row in sets["category"] if not row.sealed),
        "by_unit": _ranked({"unit": units[row.unit_id].code if row.unit_id else None, "unit_id": row.unit_id,
                            **_counts(row)} for row in sets["unit"] if not row.sealed),
        **_school_figures([row for row in sets["school"] if not row.sealed and row.school_id]),
        "months": [{"period": month.code, "begun": month.start <= now, **_counts(months[False].get(month.code)),
                    "sealed": _counts(months[True].get(month.code))["received"]}
                   for month in period.months()],
        "satisfaction": {
            "answered": answered, "rated": rated,
            "response_rate": round(rated / answered, 3) if answered else None,
            "average": round(sum(score * count for score, count in ratings.items()) / rated, 2) if rated else None,
            "distribution": [{"score": score, "count": ratings.get(score, 0)} for score in RATINGS],
        },
        "sealed": {**sealed, "by_status": [
            {"status": status, "received": count} for (is_sealed, _kind, status), count in sorted(
                statuses.items(), key=lambda item: _order(Status, item[0][2])) if is_sealed]},
    }


def _school_figures(rows: list) -> dict:
    """Cases about each school (by its code) and about each district's schools; corruption reports never."""
    schools = School.objects.in_bulk([row.school_id for row in rows])
    districts: dict[str, list] = defaultdict(list)
    for row in rows:
        districts[schools[row.school_id].district].append(row)
    return {
        "by_school": _ranked({"school": schools[row.school_id].code, **_counts(row)} for row in rows),
        "by_district": _ranked({"district": district, **_counts(*members)} for district, members in districts.items()),
    }


def _clock_figures(sets: dict[str, list]) -> dict:
    overall = {row.clock: row for row in sets["all"]}
    by_kind: dict[str, dict] = defaultdict(dict)
    for row in sets["kind"]:
        by_kind[row.kind][row.clock] = row
    return {
        "clocks": {clock: _clock(overall.get(clock)) for clock in CLOCKS},
        "times_by_kind": [{"kind": kind, **{clock: _clock(by_kind[kind].get(clock)) for clock in CLOCKS}}
                          for kind in Kind.values if kind in by_kind],
    }


def _counts(*rows) -> dict:
    received = sum(row.received for row in rows if row is not None)
    completed = sum(row.completed for row in rows if row is not None)
    return {"received": received, "completed": completed, "in_progress": received - completed}


def _clock(row) -> dict:
    if row is None:
        return {"on_time": 0, "late": 0, "overdue": 0, "running": 0, "on_time_rate": None,
                "median_days": None, "p90_days": None}
    met = row.on_time + row.late
    median, p90 = row.days if row.days else (None, None)
    return {"on_time": row.on_time, "late": row.late, "overdue": row.overdue, "running": row.running,
            "on_time_rate": round(row.on_time / met, 3) if met else None,
            "median_days": None if median is None else round(median, 2),
            "p90_days": None if p90 is None else round(p90, 2)}


def _ranked(rows) -> list[dict]:
    """Largest first; ties by code, so the order is stable."""
    return sorted(rows, key=lambda row: (-row["received"], str(next(iter(row.values())) or "")))


def _order(choices, code: str) -> int:
    return choices.values.index(code) if code in choices.values else len(choices.values)


def _month_code(month: datetime) -> str:
    # date_trunc of a Bangkok wall time: a naive datetime on the first of the month.
    return f"{month.year + BUDDHIST_ERA_OFFSET}-{month.month:02d}"


class _Row:
    """A result row, its columns by name."""

    def __init__(self, names: list[str], values: tuple):
        self.__dict__.update(zip(names, values, strict=True))


def _grouped(cursor, sql: str, params: dict, sets: dict[str, int]) -> dict[str, list[_Row]]:
    """The rows of a GROUPING SETS query, by the name of the set each belongs to."""
    cursor.execute(sql, params)
    names = [column.name for column in cursor.description]
    grouped: dict[str, list[_Row]] = {name: [] for name in sets}
    by_mask = {mask: name for name, mask in sets.items()}
    for values in cursor.fetchall():
        row = _Row(names, values)
        grouped[by_mask[row.grouping_set]].append(row)
    return grouped


# GROUPING(a, b, …) is a bitmask, first column highest, of the columns a row is *not* grouped by.
_CASE_SETS = {
    "kind": 0b01111111, "status": 0b00111111, "channel": 0b11011111, "category": 0b11101111, "unit": 0b11110111,
    "school": 0b11111011, "month": 0b11111101, "rating": 0b11111110,
}
_CLOCK_SETS = {"all": 0b11, "kind": 0b01, "unit": 0b10}
_NO_CATEGORY = gettext_lazy("No category")
_NO_UNIT = gettext_lazy("Not yet routed")
_NO_DISTRICT = gettext_lazy("District not recorded")
