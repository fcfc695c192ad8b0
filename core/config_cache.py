"""A per-process copy of the configuration that intake, routing and every clock computation read: the
active categories, SLA policies and routing rules, the units that receive cases, and the office closures.

The copy is exact, not time-bounded. Statement triggers on the configuration tables set
one row, ``rabfang_config_version``, to a fresh sequence value in the same transaction as any change
(migration 0011). A unit's round-robin pointer, rewritten by every routing, is not configuration and
does not count. Each read asks for that row (one primary-key read instead of the configuration queries)
and reloads when it moved, so a committed change is seen by the next request of every process, and an
uncommitted one only by its own transaction. Sequence values are never handed out twice, so a change
that was rolled back cannot make a later change look already loaded.

The model instances in the copy are shared by every request of the process: read them, never change them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection

from core.calendar import BusinessCalendar, TwentyFourSeven
from core.lookups import integrity_unit
from core.models import Category, OfficeClosure, RoutingRule, SlaPolicy, Unit
from core.sla import Calendars

VERSION_TABLE = "rabfang_config_version"


@dataclass(frozen=True)
class ConfigSnapshot:
    version: int | None
    categories: dict[tuple[str, str], Category]  # active ones, by (kind, code)
    policies: tuple[SlaPolicy, ...]  # active ones
    closures: frozenset[date]
    calendars: Calendars
    routing_rules: tuple[RoutingRule, ...]  # active ones of active units, in order, each with its unit
    fallback_unit: Unit | None  # receives what no rule claims
    integrity_unit: Unit | None  # receives sealed corruption reports

    def category(self, kind: str, code: str) -> Category | None:
        return self.categories.get((kind, code))

    def sla_policy_for(self, kind: str, category_id: int | None, priority: str) -> SlaPolicy | None:
        """The most specific active policy: category and priority match beat either alone, which beat neither."""
        candidates = [policy for policy in self.policies if policy.kind == kind
                      and policy.category_id in (None, category_id) and policy.priority in ("", priority)]
        return max(candidates, key=lambda p: (p.category_id is not None, p.priority != "", -p.pk), default=None)


_snapshot: ConfigSnapshot | None = None


def config_snapshot() -> ConfigSnapshot:
    """The configuration as the current transaction sees it, from this process's copy when it is current."""
    global _snapshot
    version = _version()
    snapshot = _snapshot
    if version is not None and snapshot is not None and snapshot.version == version:
        return snapshot
    # Read after the version: a change committed in between is loaded under the older version and
    # simply loaded again next time, never the other way round.
    snapshot = _load(version)
    if version is not None:
        _snapshot = snapshot
    return snapshot


def calendars() -> Calendars:
    """The business calendar (with the office's closures) and the 24x7 one."""
    return config_snapshot().calendars


def _version() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {VERSION_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def _load(version: int | None) -> ConfigSnapshot:
    closures = frozenset(OfficeClosure.objects.values_list("day", flat=True))
    return ConfigSnapshot(
        version=version,
        categories={(category.kind, category.code): category for category in Category.objects.filter(active=True)},
        policies=tuple(SlaPolicy.objects.filter(active=True).order_by("pk")),
        closures=closures,
        calendars=Calendars(business=BusinessCalendar(closures=closures), always=TwentyFourSeven()),
        routing_rules=tuple(RoutingRule.objects.filter(active=True, unit__active=True).select_related("unit")),
        fallback_unit=Unit.objects.filter(receives_unrouted=True, active=True, is_integrity=False).order_by("pk").first(),
        integrity_unit=integrity_unit(),
    )
